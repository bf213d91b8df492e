#!/usr/bin/env python3
"""Deterministic synthetic mail between the user and the people of a people.csv (gen_people.py):
an mbox of N messages, a third sent by the user, the rest received, each to or from one to
three of the people, some multipart with an HTML part, some quoted-printable.
Usage: gen_mbox.py PEOPLE_CSV N OUT_MBOX"""
import csv, random, sys
from email.message import EmailMessage
from email.utils import format_datetime
import datetime

def main():
    people_csv, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rnd = random.Random(1204)
    with open(people_csv, newline="") as f:
        people = [(r["full_name"], r["email"]) for r in csv.DictReader(f) if r["email"]]
    me = ("Ada Bench", "me@bench.example")
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    with open(out, "w", newline="\n") as mbox:
        for i in range(n):
            them = rnd.sample(people, rnd.randint(1, 3))
            m = EmailMessage()
            if i % 3 == 0:
                m["From"] = f"{me[0]} <{me[1]}>"
                m["To"] = ", ".join(f"{a} <{b}>" for a, b in them)
            else:
                m["From"] = f"{them[0][0]} <{them[0][1]}>"
                m["To"] = f"{me[0]} <{me[1]}>"
                if len(them) > 1:
                    m["Cc"] = ", ".join(f"{a} <{b}>" for a, b in them[1:])
            m["Subject"] = f"Re: proposal {i} — café"
            when = start + datetime.timedelta(minutes=37 * i)
            m["Date"] = format_datetime(when)
            m["Message-ID"] = f"<bench-{i}@bench.example>"
            text = f"Hello,\n\nAbout the proposal {i}: from {when:%d %B}.\nÀ bientôt.\n"
            m.set_content(text, cte="quoted-printable" if i % 2 else "8bit")
            if i % 4 == 0:
                m.add_alternative(f"<p>About the proposal <b>{i}</b>.</p>", subtype="html")
            mbox.write(f"From {me[1] if i % 3 == 0 else them[0][1]} {when:%a %b %d %H:%M:%S %Y}\n")
            for line in m.as_string().splitlines():
                mbox.write((">" + line if line.startswith("From ") else line) + "\n")
            mbox.write("\n")

main()
