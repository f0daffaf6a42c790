#!/usr/bin/env python3
"""Builds the example survey exports in this directory from one shared dataset.

    python3 examples/exports/build.py [../shared/data/nps_package_testdata.csv]

The source is the R NPS package's test data (1,000 respondents; see
../shared/data/SOURCES.md): likelihood to recommend (REC), four ratings on
0..10, a business unit, a region and a date. Each respondent becomes one row
of `plain.csv` (cx's wide layout, one header row, RFC 3339 times) and one row
of each platform's export, written as that platform writes it:

| file              | header rows | ids         | timestamps                                | ratings                |
|-------------------|-------------|-------------|-------------------------------------------|------------------------|
| qualtrics.csv     | 3           | R_...       | 2012-04-08 15:13:29 in America/Denver     | numbers                |
| surveymonkey.csv  | 2           | 11400000001 | 04/08/2012 09:13:29 PM (UTC)              | 0 and 10 as end labels |
| google_forms.csv  | 1           | none        | 2012/04/08 11:13:29 PM GMT+2              | numbers                |
| limesurvey.csv    | 1           | 1, 2, ...   | 2012-04-08 23:13:29 in Europe/Berlin      | numbers                |
| typeform.csv      | 1           | tokens      | 2012-04-08 21:13:29 (UTC)                 | numbers                |

The dataset has dates, not times: each respondent's time of day is made up
from their row number (14:00 to 22:59 UTC, away from any clock change in the zones used), the same
instant in every file. A test (crates/cx-cli/tests/exports.rs) scores each
export with its journey and checks every figure equals the plain file's.
Uses only the standard library (zoneinfo needs the system's tz database).
"""

import csv
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
SOURCE = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[1] / ".." / "shared" / "data" / "nps_package_testdata.csv"

RATINGS = [
    ("Product.Tastiness", "Product tastiness"),
    ("Salesman.Smileyness", "Salesman smileyness"),
    ("Salesman.Chirpiness", "Salesman chirpiness"),
    ("Salesman.Bubbliness", "Salesman bubbliness"),
]
RATE = "How would you rate us on each of the following?"
RECOMMEND = "How likely is it that you would recommend us to a friend or colleague?"
REGION = "Where are you?"


def respondents():
    with open(SOURCE, newline="") as file:
        for number, row in enumerate(csv.DictReader(file), start=1):
            day = dt.date.fromisoformat(row["date"])
            clock = dt.time(14 + (number * 7) % 9, (number * 13) % 60, (number * 29) % 60)
            instant = dt.datetime.combine(day, clock, tzinfo=dt.timezone.utc)
            yield number, instant, row


def token(number, size):
    return hashlib.sha256(f"cx-{number}".encode()).hexdigest()[:size]


def write(name, rows):
    with open(HERE / name, "w", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(rows)


def plain():
    header = ["respondent", "answered", "region"] + [c for c, _ in RATINGS] + ["recommend"]
    rows = [header]
    for number, instant, row in respondents():
        answered = instant.strftime("%Y-%m-%dT%H:%M:%SZ")
        rows.append([f"{number:04d}", answered, row["Region"]] + [row[c] for c, _ in RATINGS] + [row["REC"]])
    write("plain.csv", rows)


def qualtrics():
    zone = ZoneInfo("America/Denver")
    ids = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)",
           "Finished", "RecordedDate", "ResponseId", "DistributionChannel", "UserLanguage"]
    ids += [f"Q1_{i}" for i in range(1, 5)] + ["Q2", "Q2_NPS_GROUP", "Q3"]
    texts = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)",
             "Finished", "Recorded Date", "Response ID", "Distribution Channel", "User Language"]
    texts += [f"{RATE} - {label}" for _, label in RATINGS]
    texts += [f"On a scale from 0 to 10,\n{RECOMMEND.lower()}", f"{RECOMMEND} - Group", REGION]
    keys = ["startDate", "endDate", "status", "ipAddress", "progress", "duration", "finished",
            "recordedDate", "_recordId", "distributionChannel", "userLanguage"]
    imports = [json.dumps({"ImportId": k, "timeZone": "America/Denver"} if "Date" in k else {"ImportId": k},
                          separators=(",", ":")) for k in keys]
    imports += [json.dumps({"ImportId": f"QID1_{i}"}, separators=(",", ":")) for i in range(1, 5)]
    imports += ['{"ImportId":"QID2"}', '{"ImportId":"QID2_NPS_GROUP"}', '{"ImportId":"QID3"}']
    rows = [ids, texts, imports]
    for number, instant, row in respondents():
        local = instant.astimezone(zone)
        start = (local - dt.timedelta(seconds=95 + number % 300)).strftime("%Y-%m-%d %H:%M:%S")
        end = local.strftime("%Y-%m-%d %H:%M:%S")
        likelihood = int(row["REC"])
        group = "Promoter" if likelihood >= 9 else "Passive" if likelihood >= 7 else "Detractor"
        rows.append([start, end, "IP Address", f"10.0.{number // 256}.{number % 256}", "100",
                     str(95 + number % 300), "True", end, f"R_{token(number, 15)}", "anonymous", "EN"]
                    + [row[c] for c, _ in RATINGS] + [row["REC"], group, row["Region"]])
    write("qualtrics.csv", rows)


def surveymonkey():
    first = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
             "First Name", "Last Name", "Custom Data 1", RATE, "", "", "", RECOMMEND, REGION]
    second = [""] * 9 + [label for _, label in RATINGS] + ["Response", "Response"]
    rows = [first, second]
    labels = {"0": "Not at all", "10": "Extremely"}
    for number, instant, row in respondents():
        end = instant.strftime("%m/%d/%Y %I:%M:%S %p")
        start = (instant - dt.timedelta(minutes=2)).strftime("%m/%d/%Y %I:%M:%S %p")
        rows.append([str(11400000000 + number), "405000001", start, end, f"10.0.{number // 256}.{number % 256}",
                     "", "", "", ""] + [labels.get(row[c], row[c]) for c, _ in RATINGS] + [row["REC"], row["Region"]])
    write("surveymonkey.csv", rows)


def google_forms():
    zone = ZoneInfo("Europe/Berlin")
    rows = [["Timestamp"] + [f"{RATE} [{label}]" for _, label in RATINGS] + [RECOMMEND, REGION]]
    for _, instant, row in respondents():
        local = instant.astimezone(zone)
        hours = int(local.utcoffset().total_seconds() // 3600)
        stamp = local.strftime("%Y/%m/%d %I:%M:%S %p").replace(" 0", " ", 1) + f" GMT+{hours}"
        rows.append([stamp] + [row[c] for c, _ in RATINGS] + [row["REC"], row["Region"]])
    write("google_forms.csv", rows)


def limesurvey():
    zone = ZoneInfo("Europe/Berlin")
    rows = [["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"]
            + [f"Q1[SQ00{i}]" for i in range(1, 5)] + ["NPS", "REGION"]]
    for number, instant, row in respondents():
        local = instant.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
        rows.append([str(number), local, "3", "en", str(int(token(number, 8), 16) % 10**9), local, local]
                    + [row[c] for c, _ in RATINGS] + [row["REC"], row["Region"]])
    write("limesurvey.csv", rows)


def typeform():
    rows = [["#"] + [label for _, label in RATINGS] + [RECOMMEND, REGION, "Start Date (UTC)", "Submit Date (UTC)", "Network ID"]]
    for number, instant, row in respondents():
        submit = instant.strftime("%Y-%m-%d %H:%M:%S")
        start = (instant - dt.timedelta(minutes=3)).strftime("%Y-%m-%d %H:%M:%S")
        rows.append([token(number, 32)] + [row[c] for c, _ in RATINGS] + [row["REC"], row["Region"], start, submit, token(-number, 10)])
    write("typeform.csv", rows)


if __name__ == "__main__":
    for build in (plain, qualtrics, surveymonkey, google_forms, limesurvey, typeform):
        build()
