# URL patterns of the analytics pages (names are used as "concertation:NAME").
urlpatterns: list = []
