from rest_framework.routers import SimpleRouter

from education.api import ArticleViewSet

router = SimpleRouter()
router.register("education/articles", ArticleViewSet, basename="education-article")

urlpatterns = router.urls
