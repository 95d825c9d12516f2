from django.apps import AppConfig


class CrisisConfig(AppConfig):
    name = "crisis"
    label = "crisis"
    verbose_name = "Crisis"

    def ready(self) -> None:
        from incidents.incident_actions import register_incident_action
        from lev.schools.models import Role
        from lev.web.start import provides

        from .incident_link import escalate_to_crisis
        from .start import open_crises

        provides(Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.CARE_COORDINATOR)(open_crises)
        register_incident_action(escalate_to_crisis)
