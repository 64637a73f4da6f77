#!/usr/bin/env python3
"""Builds clew's table of monthly US-dollar rates (usd-monthly.csv) from central banks' published files.
Standard library only. See README.md beside this script for the provenance of the shipped table.

Usage:
  python3 build.py ECB_FILE [--cbr-usd CBR_FILE] [--first 2010-01] [--last 2025-12] [--out FILE]

ECB_FILE  the European Central Bank's euro foreign exchange reference rates, full history
          (eurofxref-hist.zip as published at https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip,
          or the eurofxref-hist.csv inside it).
CBR_FILE  optional: the Bank of Russia's official rate of the US dollar over a date range, as its "dynamics of
          the official exchange rate" service gives it (XML, https://www.cbr.ru/scripts/XML_dynamic.asp?
          date_req1=01/03/2022&date_req2=31/12/2025&VAL_NM_RQ=R01235). It fills RUB for the months the ECB
          lacks (the ECB last published a rouble rate on 1 March 2022); it never replaces an ECB figure.
--out     where to write the table (default: usd-monthly.csv beside this script; `-` for standard output).

Method: for each month and currency, the mean over the month's publication days of that day's US dollars per
unit. From the ECB file that is the day's cross rate through the euro (USD per EUR / currency per EUR; for EUR
itself, USD per EUR). A month is written only when the ECB published the currency on every day of the month
on which it published the US dollar, so a month the rouble left part-way (March 2022) is not a mean of a few
days. From the Bank of Russia file it is Nominal / Value (roubles per dollar, inverted), over the records of
months that lie wholly inside the file's date range. Figures keep 6 significant digits.
"""
import argparse
import csv
import hashlib
import io
import os
import sys
import xml.etree.ElementTree as ElementTree
import zipfile

CURRENCIES = ("CNY", "EUR", "KRW", "RUB")
HEADER = "period,currency,usd_per_unit,source"
# The inputs are tens of megabytes at most; anything larger is not the file this script expects.
MAX_INPUT_BYTES = 64 * 1024 * 1024
ECB_SOURCE = (
    "European Central Bank, euro foreign exchange reference rates (series {series}): monthly mean of daily "
    "reference rates{cross}; derived by clew data/rates/build.py"
)
CBR_SOURCE = (
    "Bank of Russia, official exchange rate of the US dollar against the rouble (series R01235, "
    "cbr.ru XML_dynamic.asp): monthly mean of daily official rates, inverted; derived by clew data/rates/build.py"
)


def fail(message):
    sys.exit(f"build.py: {message}")


def read_limited(path):
    size = os.path.getsize(path)
    if size > MAX_INPUT_BYTES:
        fail(f"{path}: {size} bytes is more than the {MAX_INPUT_BYTES} this script reads")
    with open(path, "rb") as handle:
        return handle.read()


def ecb_csv_bytes(path):
    """The bytes of eurofxref-hist.csv, from the file itself or from the zip the ECB publishes."""
    data = read_limited(path)
    if not data.startswith(b"PK"):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [m for m in archive.infolist() if m.filename.endswith(".csv")]
        if len(members) != 1:
            fail(f"{path}: expected one .csv inside, found {len(members)}")
        if members[0].file_size > MAX_INPUT_BYTES:
            fail(f"{path}: its csv is larger than {MAX_INPUT_BYTES} bytes")
        return archive.read(members[0])


def month_of(iso_date):
    return iso_date[:7]


def ecb_monthly(text):
    """(currency, YYYY-MM) -> mean USD per unit, from the ECB history; and the newest date in the file."""
    rows = csv.reader(io.StringIO(text))
    header = [name.strip() for name in next(rows, [])]
    if not header or header[0] != "Date" or "USD" not in header:
        fail("the ECB file's first line must be its header (Date,USD,JPY,...)")
    column = {name: index for index, name in enumerate(header) if name}
    missing_columns = [c for c in CURRENCIES if c != "EUR" and c not in column]
    if missing_columns:
        fail(f"the ECB file has no column for {', '.join(missing_columns)}")

    def number(row, name):
        value = row[column[name]].strip() if column[name] < len(row) else ""
        if value in ("", "N/A"):
            return None
        try:
            rate = float(value)
        except ValueError:
            fail(f"{row[0]}: {name} rate `{value}` is not a number")
        if not rate > 0:
            fail(f"{row[0]}: {name} rate `{value}` is not positive")
        return rate

    days = {}  # month -> number of days with a USD rate
    values = {}  # (currency, month) -> [USD per unit]
    seen = set()
    newest = ""
    for line, row in enumerate(rows, start=2):
        if not row or not row[0].strip():
            continue
        date = row[0].strip()
        if len(date) != 10 or date[4] != "-" or date[7] != "-":
            fail(f"line {line}: `{date}` is not a date (YYYY-MM-DD)")
        if date in seen:
            fail(f"line {line}: a second row for {date}")
        seen.add(date)
        newest = max(newest, date)
        usd_per_eur = number(row, "USD")
        if usd_per_eur is None:
            continue
        month = month_of(date)
        days[month] = days.get(month, 0) + 1
        values.setdefault(("EUR", month), []).append(usd_per_eur)
        for currency in CURRENCIES:
            if currency == "EUR":
                continue
            per_eur = number(row, currency)
            if per_eur is not None:
                values.setdefault((currency, month), []).append(usd_per_eur / per_eur)
    monthly = {
        key: sum(rates) / len(rates) for key, rates in values.items() if len(rates) == days.get(key[1], 0)
    }
    return monthly, newest


def cbr_monthly(data):
    """YYYY-MM -> mean USD per rouble, from the Bank of Russia's XML_dynamic file for R01235 (the US dollar)."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        fail("the Bank of Russia file has a DOCTYPE or ENTITY declaration: it is not the file this script expects")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        fail(f"the Bank of Russia file is not XML: {error}")
    if root.tag != "ValCurs":
        fail(f"the Bank of Russia file's root is <{root.tag}>, not <ValCurs>")
    if root.get("ID", "R01235") != "R01235":
        fail(f"the Bank of Russia file is for {root.get('ID')}, not R01235 (the US dollar)")

    def iso(text, what):
        parts = (text or "").split(".")
        if (
            len(parts) != 3
            or not all(p.isdigit() for p in parts)
            or len(parts[2]) != 4
            or not 1 <= int(parts[1]) <= 12
            or not 1 <= int(parts[0]) <= 31
        ):
            fail(f"{what} `{text}` is not a date (dd.mm.yyyy)")
        return f"{parts[2]}-{int(parts[1]):02d}-{int(parts[0]):02d}"

    first = iso(root.get("DateRange1"), "DateRange1")
    last = iso(root.get("DateRange2"), "DateRange2")
    values = {}
    for record in root.iter("Record"):
        date = iso(record.get("Date"), "Record Date")
        if record.get("Id", "R01235") != "R01235":
            fail(f"{date}: a record for {record.get('Id')}, not R01235")
        try:
            nominal = float((record.findtext("Nominal") or "").replace(",", "."))
            roubles = float((record.findtext("Value") or "").replace(",", "."))
        except ValueError:
            fail(f"{date}: Nominal or Value is not a number")
        if not (nominal > 0 and roubles > 0):
            fail(f"{date}: Nominal and Value must be positive")
        values.setdefault(month_of(date), []).append(nominal / roubles)

    def whole(month):
        year, number = int(month[:4]), int(month[5:])
        following = f"{year + number // 12:04d}-{number % 12 + 1:02d}-01"
        return first <= f"{month}-01" and following <= next_day(last)

    return {month: sum(rates) / len(rates) for month, rates in values.items() if whole(month)}


def next_day(iso_date):
    year, month, day = (int(p) for p in iso_date.split("-"))
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    length = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    if day < length:
        return f"{year:04d}-{month:02d}-{day + 1:02d}"
    if month < 12:
        return f"{year:04d}-{month + 1:02d}-01"
    return f"{year + 1:04d}-01-01"


def months(first, last):
    year, month = int(first[:4]), int(first[5:])
    while f"{year:04d}-{month:02d}" <= last:
        yield f"{year:04d}-{month:02d}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def month_argument(text):
    if len(text) != 7 or text[4] != "-" or not (text[:4] + text[5:]).isdigit() or not 1 <= int(text[5:]) <= 12:
        raise argparse.ArgumentTypeError(f"`{text}` is not a month (YYYY-MM)")
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ecb", help="eurofxref-hist.zip or eurofxref-hist.csv")
    parser.add_argument("--cbr-usd", help="the Bank of Russia's XML_dynamic file for R01235 (optional)")
    parser.add_argument("--first", type=month_argument, default="2010-01")
    parser.add_argument("--last", type=month_argument, default="2025-12")
    beside = os.path.join(os.path.dirname(os.path.abspath(__file__)), "usd-monthly.csv")
    parser.add_argument("--out", default=beside, help="default: usd-monthly.csv beside this script; - for stdout")
    args = parser.parse_args()
    if args.first > args.last:
        parser.error(f"--first {args.first} is after --last {args.last}")

    csv_bytes = ecb_csv_bytes(args.ecb)
    ecb, newest = ecb_monthly(csv_bytes.decode("utf-8-sig"))
    cbr = cbr_monthly(read_limited(args.cbr_usd)) if args.cbr_usd else {}
    print(f"ECB file: eurofxref-hist.csv sha256 {hashlib.sha256(csv_bytes).hexdigest()}, newest rate {newest}",
          file=sys.stderr)

    lines = [HEADER]
    gaps = {}
    for month in months(args.first, args.last):
        for currency in CURRENCIES:
            if (currency, month) in ecb:
                if currency == "EUR":
                    series, cross = "EXR.D.USD.EUR.SP00.A", ""
                else:
                    series, cross = f"EXR.D.{currency}.EUR.SP00.A, EXR.D.USD.EUR.SP00.A", ", cross rate via EUR"
                rate, source = ecb[(currency, month)], ECB_SOURCE.format(series=series, cross=cross)
            elif currency == "RUB" and month in cbr:
                rate, source = cbr[month], CBR_SOURCE
            else:
                gaps.setdefault(currency, []).append(month)
                continue
            # The source holds commas: quoted, so that a spreadsheet reads four columns (RFC 4180).
            quoted = '"' + source.replace('"', '""') + '"'
            lines.append(f"{month},{currency},{rate:.6g},{quoted}")
    text = "\n".join(lines) + "\n"
    if args.out == "-":
        sys.stdout.write(text)
    else:
        temporary = args.out + ".tmp"
        with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(temporary, args.out)
    print(f"wrote {len(lines) - 1} rates to {'standard output' if args.out == '-' else args.out}", file=sys.stderr)
    for currency, missing in sorted(gaps.items()):
        when = missing[0] if len(missing) == 1 else f"{len(missing)} months, {missing[0]} to {missing[-1]}"
        print(f"no rate for {currency} in {when}", file=sys.stderr)


if __name__ == "__main__":
    main()
