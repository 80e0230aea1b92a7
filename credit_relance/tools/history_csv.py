"""Read a CSV of settled invoices (accounts-receivable history) into checked rows (no ORM).

Expected columns (others are ignored): ``customerID, invoiceNumber, InvoiceDate, DueDate,
InvoiceAmount, Disputed, SettledDate``; dates as ``M/D/YYYY`` (or ``YYYY-MM-DD``), amounts
with a dot as decimal separator, ``Disputed`` as Yes/No.

Every problem is returned as a :class:`RowError` (row number, code), row 1 being the header line, so
that nobody has to guess which line of the file is wrong.

>>> rows, errors = parse_history_csv(
...     b"customerID,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed,SettledDate\\n"
...     b"C1,F1,1/2/2013,2/1/2013,55.94,No,2/11/2013\\n"
...     b"C1,F2,13/2/2013,2/1/2013,abc,No,\\n"
... )
>>> rows[0].customer_ref, rows[0].amount, rows[0].due_date.isoformat(), rows[0].row
('C1', 55.94, '2013-02-01', 2)
>>> [(e.row, e.code) for e in errors]
[(3, 'bad_date'), (3, 'empty_value'), (3, 'bad_amount')]
>>> str(errors[0])
"InvoiceDate '13/2/2013' is not a date (M/D/YYYY)"
"""

import csv
import datetime
import io
from dataclasses import dataclass

REQUIRED_COLUMNS = ("customerID", "invoiceNumber", "InvoiceDate", "DueDate", "InvoiceAmount", "Disputed", "SettledDate")
DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d")
YES = {"yes", "y", "true", "1", "oui"}
NO = {"no", "n", "false", "0", "non", ""}


# English texts of the problems, by code; the Odoo layer translates them from the same codes.
MESSAGES = {
    "bad_encoding": "not valid %(encoding)s text: byte %(byte)s at position %(position)s",
    "unknown_encoding": "unknown encoding %(encoding)s",
    "empty_file": "the file is empty",
    "missing_columns": "missing columns: %(columns)s",
    "empty_value": "%(column)s is empty",
    "duplicate_in_file": "invoice %(number)s already appears on row %(first_row)s",
    "bad_date": "%(column)s '%(value)s' is not a date (M/D/YYYY)",
    "due_before_invoice": "DueDate is before InvoiceDate",
    "bad_amount": "InvoiceAmount '%(value)s' is not a number",
    "amount_not_positive": "InvoiceAmount %(value)s is not positive",
    "bad_disputed": "Disputed '%(value)s' is neither Yes nor No",
    "extra_values": "more values than columns",
}


class HistoryFileError(ValueError):
    """The file as a whole cannot be read (encoding, missing columns, empty).

    ``code`` and ``params`` identify the problem (see :data:`MESSAGES`).
    """

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super().__init__(MESSAGES[code] % params)


@dataclass(frozen=True)
class RowError:
    """One problem on one row: ``str()`` gives the English text."""

    row: int
    code: str
    params: dict

    def __str__(self):
        return MESSAGES[self.code] % self.params


@dataclass(frozen=True)
class HistoryRow:
    row: int
    customer_ref: str
    invoice_number: str
    invoice_date: datetime.date
    due_date: datetime.date
    settled_date: datetime.date
    amount: float
    disputed: bool


def decode(content, encoding="utf-8"):
    """Text of the file; raise :class:`HistoryFileError` naming the first bad byte.

    >>> try:
    ...     decode("é".encode("latin-1"))
    ... except HistoryFileError as exc:
    ...     print(exc.code, exc)
    bad_encoding not valid utf-8 text: byte 0xe9 at position 0
    >>> decode("é".encode("latin-1"), "latin-1")
    'é'
    """
    try:
        text = content.decode("utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding)
    except UnicodeDecodeError as exc:
        raise HistoryFileError(
            "bad_encoding", encoding=encoding, byte=f"0x{content[exc.start]:02x}", position=exc.start
        ) from None
    except LookupError:
        raise HistoryFileError("unknown_encoding", encoding=encoding) from None
    return text


def _parse_date(value):
    value = (value or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def parse_history_csv(content, encoding="utf-8", delimiter=","):
    """Checked rows and errors of a history file.

    :param content: the file's bytes
    :return: ``(rows, errors)``: the valid :class:`HistoryRow` list and a list of
        :class:`RowError`; a row with an error is never in ``rows``.
    :raise HistoryFileError: when the file cannot be read at all
    """
    text = decode(content, encoding)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    if not header:
        raise HistoryFileError("empty_file")
    reader.fieldnames = header
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise HistoryFileError("missing_columns", columns=", ".join(missing))
    rows, errors, seen = [], [], {}
    for record in reader:
        index = reader.line_num  # the physical line, blank lines included
        if not any((value or "").strip() for value in record.values() if isinstance(value, str)):
            continue
        row, row_errors = _check_row(index, record, seen)
        if row_errors:
            errors.extend(RowError(index, code, params) for code, params in row_errors)
        else:
            rows.append(row)
    return rows, errors


def _check_row(index, record, seen):
    """``(HistoryRow or None, [(code, params)])`` for one record of the file.

    ``seen`` maps the invoice numbers already read to their row, and is updated.
    """
    row_errors = []
    ref = (record.get("customerID") or "").strip()
    number = (record.get("invoiceNumber") or "").strip()
    if not ref:
        row_errors.append(("empty_value", {"column": "customerID"}))
    if not number:
        row_errors.append(("empty_value", {"column": "invoiceNumber"}))
    elif number in seen:
        row_errors.append(("duplicate_in_file", {"number": number, "first_row": seen[number]}))
    else:
        seen[number] = index
    dates = {}
    for column in ("InvoiceDate", "DueDate", "SettledDate"):
        raw = (record.get(column) or "").strip()
        dates[column] = _parse_date(raw)
        if not raw:
            row_errors.append(("empty_value", {"column": column}))
        elif dates[column] is None:
            row_errors.append(("bad_date", {"column": column, "value": raw}))
    if dates["InvoiceDate"] and dates["DueDate"] and dates["DueDate"] < dates["InvoiceDate"]:
        row_errors.append(("due_before_invoice", {}))
    raw_amount = (record.get("InvoiceAmount") or "").strip()
    try:
        amount = float(raw_amount)
    except ValueError:
        amount = None
        row_errors.append(("bad_amount", {"value": raw_amount}))
    if amount is not None and not amount > 0:
        row_errors.append(("amount_not_positive", {"value": raw_amount}))
    disputed = (record.get("Disputed") or "").strip().lower()
    if disputed not in YES | NO:
        row_errors.append(("bad_disputed", {"value": record.get("Disputed")}))
    if None in record:
        row_errors.append(("extra_values", {}))
    if row_errors:
        return None, row_errors
    return HistoryRow(
        row=index, customer_ref=ref, invoice_number=number, invoice_date=dates["InvoiceDate"],
        due_date=dates["DueDate"], settled_date=dates["SettledDate"], amount=amount, disputed=disputed in YES,
    ), []
