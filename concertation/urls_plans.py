# URL patterns of the plans pages (names are used as "concertation:NAME").
urlpatterns: list = []
