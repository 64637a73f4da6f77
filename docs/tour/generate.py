#!/usr/bin/env python3
"""Makes the tour's sample files (docs/tour/). Every person, company and site in them is invented: the files are
synthetic and say so. Run from anywhere: `python3 docs/tour/generate.py`; the output is the same every time."""

import os
import random
import struct
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261206)

# Surnames and given-name syllables: Hangul, the DPRK's Latin spelling, the Russian (Kontsevich) spelling.
SURNAMES = [("김", "Kim", "Ким"), ("리", "Ri", "Ли"), ("박", "Pak", "Пак"), ("최", "Choe", "Цой"),
            ("정", "Jong", "Чон"), ("강", "Kang", "Кан"), ("한", "Han", "Хан")]
SYLLABLES = [("철", "Chol", "Чхоль"), ("명", "Myong", "Мён"), ("수", "Su", "Су"), ("호", "Ho", "Хо"),
             ("남", "Nam", "Нам"), ("혁", "Hyok", "Хёк"), ("성", "Song", "Сон"), ("광", "Kwang", "Кван"),
             ("영", "Yong", "Ён"), ("진", "Jin", "Чин"), ("국", "Kuk", "Кук")]
SITES = ["TOUR site 01 Vladivostok", "TOUR site 02 Khabarovsk", "TOUR site 03 Tynda", "TOUR site 04 Moscow"]
POSITIONS = ["builder", "welder", "plasterer", "driver", "cook", "foreman"]


def person():
    surname = rng.choice(SURNAMES)
    given = rng.sample(SYLLABLES, 2)
    return surname, given


def written(surname, given, script):
    if script == "hangul":
        return surname[0] + given[0][0] + given[1][0]
    if script == "latin":
        return f"{surname[1].upper()} {given[0][1].upper()} {given[1][1].upper()}"
    if script == "latin-hyphen":
        return f"{surname[1]} {given[0][1]}-{given[1][1].lower()}"
    return f"{surname[2]} {given[0][2]} {given[1][2].lower()}"


def write_csv(name, header, rows):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(row) + "\n")


people = []
seen = set()
while len(people) < 40:
    surname, given = person()
    key = (surname[0], given[0][0], given[1][0])
    if key in seen:
        continue
    seen.add(key)
    born = f"{rng.randint(1970, 1998)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    people.append((surname, given, born, rng.choice(SITES), rng.choice(POSITIONS)))

# The roster: a fictional company's list of its workers, in Latin letters, with full dates of birth.
roster = [(f"roster.{i:02d}", written(s, g, "latin"), born, "kp", position, site, "synthetic")
          for i, (s, g, born, site, position) in enumerate(people)]
# The case file: 20 of the same people as an NGO's caseworkers wrote them (Hangul or Cyrillic, a year or a month
# of birth), and 8 people of its own.
cases = []
for j, index in enumerate(sorted(rng.sample(range(40), 20))):
    s, g, born, site, position = people[index]
    script = rng.choice(["hangul", "cyrillic", "latin-hyphen"])
    birth = born[:4] if rng.random() < 0.5 else born[:7]
    cases.append((f"case.{j:02d}", written(s, g, script), birth, "kp", position, site, "synthetic"))
while len(cases) < 28:
    surname, given = person()
    if (surname[0], given[0][0], given[1][0]) in seen:
        continue
    seen.add((surname[0], given[0][0], given[1][0]))
    cases.append((f"case.{len(cases):02d}", written(surname, given, rng.choice(["hangul", "cyrillic"])),
                  str(rng.randint(1970, 1998)), "kp", rng.choice(POSITIONS), rng.choice(SITES), "synthetic"))

header = ["id", "name", "birth_date", "nationality", "position", "worksite", "data"]
write_csv("roster.csv", header, roster)
write_csv("cases.csv", header, cases)
# One file holding both, for `clew link dedupe`, and two judgements a reviewer made on it.
write_csv("people.csv", header, roster + cases)
first = cases[0]
write_csv("reviewed.csv", ["id_l", "id_r", "verdict", "note"], [
    ("roster.00", "roster.01", "different", "two people on the roster (synthetic judgement)"),
    (next(r[0] for r in roster if r[2].startswith(first[2][:4])), first[0], "same",
     "the caseworker confirmed it (synthetic judgement)"),
])

# Names to screen against the sanctions lists: organisations and people, without a `schema` column. The first
# four are entries of the real UN and OFAC lists, written as a witness or a registry might; the others are
# invented and should find nothing.
write_csv("queries.csv", ["full_name", "date_of_birth", "nationality"], [
    ("Korea General Corporation for External Construction", "", "kp"),
    ("Mokran LLC", "", "ru"),
    ("KOREA MINING DEVELOPMENT TRADING CORPORATION", "", "kp"),
    ("Choe Chun Yong", "", "kp"),
    ("TOUR Severny Bereg Construction LLC (synthetic)", "", "ru"),
    ("Pak Myong Su (synthetic)", "1981", "kp"),
])

# A one-second tone: the tour's "interview recording". Its INFO comment says what it is.
with wave.open(os.path.join(HERE, "interview-synthetic.wav"), "wb") as w:
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(8000)
    w.writeframes(b"".join(struct.pack("<h", int(8000 * ((i // 9) % 2 * 2 - 1))) for i in range(8000)))
with open(os.path.join(HERE, "interview-synthetic.wav"), "r+b") as f:
    data = f.read()
    note = b"SYNTHETIC: a tone for the clew tour, not a recording\x00"
    info = b"INFO" + b"ICMT" + struct.pack("<I", len(note)) + note
    chunk = b"LIST" + struct.pack("<I", len(info)) + info
    data = data[:4] + struct.pack("<I", len(data) - 8 + len(chunk)) + data[8:] + chunk
    f.seek(0)
    f.write(data)
