from rest_framework.routers import SimpleRouter

from desa_migran.api import VillageViewSet

router = SimpleRouter()
router.register("villages", VillageViewSet, basename="village")

urlpatterns = router.urls
