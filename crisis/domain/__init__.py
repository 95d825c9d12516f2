"""Pure rules of crisis management (plan ch. 16–17, Bijlage 18–22 and 26)."""
