"""URLs of the stappenplan, mounted at /stappenplan/ (namespace `escalation`): the ladder pages
(`ladder_urls`) and one module per measure."""

from . import ladder_urls, schorsing_urls, timeout_urls, verwijdering_urls

app_name = "escalation"

urlpatterns = [
    *ladder_urls.urlpatterns,
    *timeout_urls.urlpatterns,
    *schorsing_urls.urlpatterns,
    *verwijdering_urls.urlpatterns,
]
