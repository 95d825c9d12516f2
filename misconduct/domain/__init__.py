"""Pure rules of the misconduct app: the steps of a report and the order they come in."""
