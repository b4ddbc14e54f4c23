"""Hand-built name pools, grouped by origin, so a family's names fit together and the school
is not all Anglo. Faker's en_GB names alone are nearly all English, which flatters a name
recogniser; real UK class lists are not like that.

A few first names are also ordinary English words (Grace, Will, Summer, Rose, Hope): the
redaction must tell them from the word by context, so the demo keeps some in the pools.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NamePool:
    """First names (by sex) and surnames that belong together."""

    origin: str
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]


POOLS: dict[str, NamePool] = {
    pool.origin: pool
    for pool in (
        NamePool(
            "english",
            ("Grace", "Summer", "Rose", "Hope", "Chloe", "Megan", "Lucy", "Hannah", "Joanne"),
            ("Will", "Jake", "Callum", "Darren", "Mark", "Stephen", "Liam", "Owen", "Gary"),
            ("Gollan", "Whitlock", "Pemberton", "Ellison", "Hargreaves", "Brennan", "Foster"),
        ),
        NamePool(
            "welsh",
            ("Cerys", "Ffion", "Seren", "Carys", "Bethan", "Nia"),
            ("Rhys", "Dylan", "Gethin", "Iwan", "Emyr", "Aled"),
            ("Llewellyn", "Pritchard", "Vaughan", "Griffiths", "Prosser"),
        ),
        NamePool(
            "irish_scottish",
            ("Siobhan", "Aoife", "Niamh", "Eilidh", "Mhairi", "Roisin"),
            ("Ciaran", "Declan", "Eoin", "Ruairi", "Fergus", "Padraig"),
            ("O'Sullivan", "MacLeod", "Gallagher", "McAllister", "Kavanagh", "Doherty"),
        ),
        NamePool(
            "nigerian",
            ("Ngozi", "Amara", "Chiamaka", "Funmilayo", "Adaeze", "Folake"),
            ("Chidi", "Tobi", "Emeka", "Oluwaseun", "Babatunde", "Kelechi"),
            ("Okafor", "Adeyemi", "Nwosu", "Okonkwo", "Balogun", "Eze"),
        ),
        NamePool(
            "ghanaian",
            ("Ama", "Akosua", "Efua", "Abena", "Adwoa"),
            ("Kofi", "Kwame", "Yaw", "Kwabena", "Kojo"),
            ("Mensah", "Owusu", "Boateng", "Asante", "Appiah"),
        ),
        NamePool(
            "pakistani",
            ("Ayesha", "Zainab", "Fatima", "Maryam", "Noor", "Sana"),
            ("Imran", "Yusuf", "Hamza", "Bilal", "Zain", "Tariq"),
            ("Hussain", "Khan", "Qureshi", "Malik", "Iqbal", "Chaudhry"),
        ),
        NamePool(
            "indian",
            ("Priya", "Hansa", "Deepa", "Sunita", "Anjali", "Kavita"),
            ("Arjun", "Ravi", "Sanjay", "Vikram", "Rohan", "Dev"),
            ("Patel", "Sharma", "Mistry", "Desai", "Rao", "Joshi"),
        ),
        NamePool(
            "polish",
            ("Zofia", "Oliwia", "Agnieszka", "Magdalena", "Kasia"),
            ("Kacper", "Mateusz", "Tomasz", "Dariusz", "Piotr"),
            ("Nowak", "Zielinski", "Wojcik", "Lewandowski", "Kaminski"),
        ),
        NamePool(
            "vietnamese",
            ("Linh", "Thanh", "Mai", "Huong", "Thu"),
            ("Minh", "Duc", "Quang", "Tuan", "Bao"),
            ("Nguyen", "Tran", "Pham", "Le", "Hoang"),
        ),
        NamePool(
            "romanian",
            ("Ioana", "Elena", "Andreea", "Bianca", "Daria"),
            ("Andrei", "Mihai", "Stefan", "Bogdan", "Radu"),
            ("Popescu", "Ionescu", "Dumitru", "Stoica", "Marin"),
        ),
        NamePool(
            "chinese",
            ("Mei", "Xinyi", "Jia", "Yan", "Lihua"),
            ("Wei", "Jun", "Hao", "Jian", "Yang"),
            ("Chen", "Wong", "Liu", "Zhang", "Lam"),
        ),
        NamePool(
            "turkish_kurdish",
            ("Elif", "Zeynep", "Leyla", "Derya", "Ayse"),
            ("Emre", "Kemal", "Baran", "Serkan", "Mehmet"),
            ("Yilmaz", "Demir", "Aydin", "Kaya", "Celik"),
        ),
        NamePool(
            "somali",
            ("Hodan", "Ayan", "Sahra", "Fadumo", "Nimco"),
            ("Abdi", "Mohamed", "Liban", "Hassan", "Farah"),
            ("Warsame", "Abdullahi", "Jama", "Osman", "Ali"),
        ),
        NamePool(
            "caribbean",
            ("Keisha", "Shanice", "Marcia", "Tanisha", "Jade"),
            ("Marlon", "Delroy", "Jermaine", "Tyrone", "Leon"),
            ("Campbell", "Bailey", "Morrison", "Clarke", "Gayle"),
        ),
    )
}
