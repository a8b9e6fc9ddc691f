"""Staff pages of the complaints app, under /staf/pengaduan/ (portal/urls.py)."""

from django.urls import path

from complaints import staff_views

app_name = "complaints_staff"

urlpatterns = [
    path("baru/", staff_views.staff_intake_view, name="intake"),
    path("tanda-terima.pdf", staff_views.staff_receipt_pdf_view, name="receipt_pdf"),
]
