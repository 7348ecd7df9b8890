# URL patterns of the priorities pages (names are used as "concertation:NAME").
urlpatterns: list = []
