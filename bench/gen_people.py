#!/usr/bin/env python3
# Copied from the project's shared bench folder (/work/shared/bench/), the reference the speed
# goals were measured with; kept here because CI runs on a fresh clone without that folder.
"""Deterministic synthetic CRM people: companies with several contacts each.

Writes, into OUTDIR, the same people in the formats peers read:
  people.csv          one row per contact, in kith's CSV header (parent, parent_kind, first_name, ...)
  people.vcf          all contacts as vCard 3.0 in one file
  vdir/*.vcf          one vCard per file (khard's address book)
  abook.addressbook   abook's native file
Usage: gen_people.py N_CONTACTS OUTDIR [--no-vdir]
"""
import csv, os, random, sys

FIRST = "Ada Alan Grace Linus Barbara Ken Dennis Margaret Edsger Donald Frances John Radia Tim Guido Bjarne Anita Whitfield Sophie Yukihiro Hedy Claude Shafi Leslie Niklaus Jean Fernando Rosalind Katherine Mary Ivan Sergey Chen Priya Olu Zainab Mateo Sven Ingrid Aiko".split()
LAST = "Lovelace Turing Hopper Torvalds Liskov Thompson Ritchie Hamilton Dijkstra Knuth Allen McCarthy Perlman Berners-Lee Rossum Stroustrup Borg Diffie Wilson Matsumoto Lamarr Shannon Goldwasser Lamport Wirth Sammet Corbato Picard Johnson Jackson Sutherland Brin Wei Raman Adeyemi Haddad Garcia Nilsson Berg Tanaka".split()
TITLES = ["CEO", "CTO", "CFO", "COO", "Buyer", "Procurement Lead", "Engineering Manager",
          "VP Sales", "VP Engineering", "Head of Operations", "Executive Assistant",
          "Office Manager", "Technical Reviewer", "Founder", "Product Manager",
          "Chief Technology Officer", "Senior Buyer", "IT Director", "Legal Counsel", "Controller"]
WORDS = "Acme Globex Initech Umbrella Stark Wayne Hooli Vandelay Soylent Tyrell Cyberdyne Wonka Oscorp Aperture Gringotts Monarch Pied Piper Dunder Mifflin Sirius Nakatomi Massive Dynamic Blue Sun Virtucon".split()
SUFFIX = ["Ltd", "GmbH", "Inc", "LLC", "AB", "BV", "SA", "Co"]

def main():
    n = int(sys.argv[1]); out = sys.argv[2]; vdir = "--no-vdir" not in sys.argv
    rnd = random.Random(920719)
    os.makedirs(out, exist_ok=True)
    if vdir:
        os.makedirs(os.path.join(out, "vdir"), exist_ok=True)
    rows = []
    ci = 0
    while len(rows) < n:
        company = f"{rnd.choice(WORDS)} {rnd.choice(WORDS)} {rnd.choice(SUFFIX)} {ci}"
        kind = "lead" if rnd.random() < 0.6 else "customer"
        domain = company.lower().replace(" ", "") + ".example"
        for _ in range(rnd.randint(1, 6)):
            if len(rows) >= n:
                break
            f, l = rnd.choice(FIRST), rnd.choice(LAST)
            rows.append(dict(parent=company, parent_kind=kind, first_name=f, last_name=l,
                             full_name=f"{f} {l}",
                             email=f"{f.lower()}.{l.lower()}{len(rows)}@{domain}",
                             phone=f"+1 555 {rnd.randint(100,999)} {rnd.randint(1000,9999)}",
                             title=rnd.choice(TITLES),
                             notes=f"Met at event {rnd.randint(1,400)}"))
        ci += 1
    with open(os.path.join(out, "people.csv"), "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0].keys()))
        w.writeheader(); w.writerows(rows)
    with open(os.path.join(out, "people.vcf"), "w") as all_vcf, \
         open(os.path.join(out, "abook.addressbook"), "w") as ab:
        ab.write("# abook addressbook file\n\n[format]\nprogram=abook\nversion=0.6.1\n\n\n")
        for i, r in enumerate(rows):
            card = ("BEGIN:VCARD\r\nVERSION:3.0\r\n"
                    f"UID:gen-{i}\r\nN:{r['last_name']};{r['first_name']};;;\r\nFN:{r['full_name']}\r\n"
                    f"ORG:{r['parent']}\r\nTITLE:{r['title']}\r\nEMAIL;TYPE=work:{r['email']}\r\n"
                    f"TEL;TYPE=work:{r['phone']}\r\nNOTE:{r['notes']}\r\nEND:VCARD\r\n")
            all_vcf.write(card)
            if vdir:
                with open(os.path.join(out, "vdir", f"gen-{i}.vcf"), "w") as fh:
                    fh.write(card)
            ab.write(f"[{i}]\nname={r['full_name']}\nemail={r['email']}\n"
                     f"workphone={r['phone']}\nnotes={r['title']} at {r['parent']}\n\n")
    print(f"{len(rows)} contacts in {ci} companies -> {out}")

if __name__ == "__main__":
    main()
