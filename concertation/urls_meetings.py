# URL patterns of the meetings pages (names are used as "concertation:NAME").
urlpatterns: list = []
