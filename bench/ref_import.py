# Copied from the project's shared bench folder (/work/shared/bench/), the reference the speed
# goals were measured with; kept here because CI runs on a fresh clone without that folder.
"""Reference importer for the performance bars: a plain csv + sqlite3 import of kith's CSV with
the indexes a contacts store needs. Usage: ref_import.py DB CSV"""
import csv, sqlite3, sys, os
db = sys.argv[1]
if os.path.exists(db): os.remove(db)
c = sqlite3.connect(db); c.execute("pragma journal_mode=wal")
c.executescript("""create table parents(id integer primary key, kind text, name text); create index pn on parents(name collate nocase);
create table contacts(id integer primary key, parent_id integer references parents(id), first_name text, last_name text, full_name text, email text, phone text, title text, notes text);
create index ce on contacts(email collate nocase); create index ct on contacts(title collate nocase); create index cp on contacts(parent_id);""")
ids = {}
with c:
    for r in csv.DictReader(open(sys.argv[2], newline="")):
        p = ids.get(r["parent"])
        if p is None:
            p = c.execute("insert into parents(kind,name) values(?,?)", (r["parent_kind"], r["parent"])).lastrowid; ids[r["parent"]] = p
        c.execute("insert into contacts(parent_id,first_name,last_name,full_name,email,phone,title,notes) values(?,?,?,?,?,?,?,?)", (p, r["first_name"], r["last_name"], r["full_name"], r["email"], r["phone"], r["title"], r["notes"]))
