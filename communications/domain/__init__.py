"""Letters as data plus pure functions: merge fields, blocks, required elements, the wording check.

Sources: LEGAL.md §8 (what each letter must contain) and §3 (R2a, R5, R8, R12, R16, R19); the
policy plan's Bijlage 5, 23–25 and §17.3 (words to avoid); ARCHITECTURE.md §8 (structured
templates: no template syntax from the database).
"""
