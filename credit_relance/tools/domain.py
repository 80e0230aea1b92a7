"""Parse a domain typed in the domain editor without ``eval``.

The groups and routing rules store their criteria as text (what Odoo's domain widget writes).
This module turns that text into a Python list with :func:`ast.literal_eval` and checks its
shape, so that nothing in it is ever executed. Whether the field names exist is checked by the
models, which know the ORM.
"""

import ast

OPERATORS = {"&", "|", "!"}


class DomainError(ValueError):
    """The text is not a domain; ``str(error)`` says why, in English (translated by the caller)."""


def parse_domain(text):
    """Return the domain list written in ``text``.

    >>> parse_domain("[('customer_rank', '>', 0), ('category_id.name', 'in', ['VIP'])]")
    [('customer_rank', '>', 0), ('category_id.name', 'in', ['VIP'])]
    >>> parse_domain("")
    []
    >>> parse_domain("['|', ('a', '=', 1), ('b', '=', True)]")
    ['|', ('a', '=', 1), ('b', '=', True)]
    >>> def error(text):
    ...     try:
    ...         parse_domain(text)
    ...     except DomainError as exc:
    ...         return str(exc)
    >>> error("[('a', '=', uid)]")
    'not a literal domain'
    >>> error("[('a', '=')]")
    'term 1 is not a (field, operator, value) triple'
    """
    if not text or not text.strip():
        return []
    try:
        domain = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as error:
        raise DomainError("not a literal domain") from error
    if not isinstance(domain, list | tuple):
        raise DomainError("a domain is a list of conditions")
    domain = list(domain)
    for index, term in enumerate(domain, start=1):
        if isinstance(term, str) and term in OPERATORS:
            continue
        if not (isinstance(term, list | tuple) and len(term) == 3 and isinstance(term[0], str | int)):
            raise DomainError(f"term {index} is not a (field, operator, value) triple")
        domain[index - 1] = tuple(term)
    return domain


def domain_fields(domain):
    """Field paths used by the terms of a parsed domain.

    >>> domain_fields(['|', ('category_id.name', '=', 'x'), ('credit_overdue_amount', '>', 0), (1, '=', 1)])
    ['category_id.name', 'credit_overdue_amount']
    """
    return [term[0] for term in domain if isinstance(term, tuple) and isinstance(term[0], str)]
