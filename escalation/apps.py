from django.apps import AppConfig


class EscalationConfig(AppConfig):
    name = "escalation"
    label = "escalation"
    verbose_name = "Stappenplan: time-out, schorsing en verwijdering"

    def ready(self) -> None:
        from communications.letter_services import register_board_decided, register_covering_suspension
        from incidents.incident_actions import register_incident_action
        from lev.web.start_providers import register_approval_source

        from . import chronology
        from .board import register_board_section
        from .incident_link import ladder_after_incident
        from .letter_link import board_decided_letters
        from .schorsing_board import schorsing_approvals, schorsing_board_section
        from .schorsing_services import covers_days
        from .timeout_board import timeout_approvals, timeout_board_section
        from .verwijdering_board import verwijdering_approvals, verwijdering_board_section

        chronology.register()
        register_incident_action(ladder_after_incident)
        # R2a: the "blijft thuis" sentence of an incident letter needs a decided schorsing.
        register_covering_suspension(covers_days)
        register_board_decided("escalation", board_decided_letters)
        register_approval_source(timeout_approvals)
        register_approval_source(schorsing_approvals)
        register_approval_source(verwijdering_approvals)
        register_board_section(10, schorsing_board_section)
        register_board_section(20, verwijdering_board_section)
        register_board_section(30, timeout_board_section)
