from django.urls import path

from concertation.views import priorities

urlpatterns = [
    path("instances/<int:pk>/exercises/new/", priorities.exercise_create, name="exercise_create"),
    path("exercises/<int:pk>/", priorities.exercise_detail, name="exercise_detail"),
    path("exercises/<int:pk>/results/", priorities.exercise_results_page, name="exercise_results"),
    path("exercises/<int:pk>/history/", priorities.exercise_history, name="exercise_history"),
    path("exercises/<int:pk>/candidates/", priorities.candidate_add, name="candidate_add"),
    path("exercises/<int:pk>/candidates/propose/", priorities.candidate_propose, name="candidate_propose"),
    # The candidate is named by ?candidate= (edit) or in the form (remove): one id per path, the exercise's.
    path("exercises/<int:pk>/candidates/edit/", priorities.candidate_edit, name="candidate_edit"),
    path("exercises/<int:pk>/candidates/remove/", priorities.candidate_remove, name="candidate_remove"),
    path("exercises/<int:pk>/workshops/", priorities.workshop_add, name="workshop_add"),
    path("exercises/<int:pk>/workshops/<int:workshop_pk>/", priorities.workshop_select, name="workshop_select"),
    path("exercises/<int:pk>/rounds/open/", priorities.round_open, name="round_open"),
    path("exercises/<int:pk>/rounds/close/", priorities.round_close, name="round_close"),
    path("exercises/<int:pk>/ballots/", priorities.ballot_cast, name="ballot_cast"),
]
