"""Plain functions (no ORM): dates, interest, phone numbers, scores, KPIs."""
