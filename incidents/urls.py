"""URLs of signals, incidents, the Vlaggensysteem and the register (namespace "incidents").

Each area keeps its patterns in its own module; this one joins them under one namespace.
"""

from . import flag_urls, incident_urls, register_urls, signal_urls

app_name = "incidents"

urlpatterns = [
    *signal_urls.urlpatterns,
    *incident_urls.urlpatterns,
    *flag_urls.urlpatterns,
    *register_urls.urlpatterns,
]
