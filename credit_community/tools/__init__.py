"""Plain functions (no ORM): identifiers, anonymisation bands, community score."""
