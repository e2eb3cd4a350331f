"""Iran's 31 provinces (ISO 3166-2:IR) and the landline area codes that serve them.

Odoo 18 ships no ``res.country.state`` for Iran; ``data/res_country_state_data.xml``
creates these with the same codes, so the mapping area code -> ISO code -> state is
one dictionary look-up and one ``search`` on ``code``.
"""

# ISO 3166-2:IR subdivision code -> (English name, Persian name)
IRAN_PROVINCES = {
    "00": ("Markazi", "مرکزی"),
    "01": ("Gilan", "گیلان"),
    "02": ("Mazandaran", "مازندران"),
    "03": ("East Azerbaijan", "آذربایجان شرقی"),
    "04": ("West Azerbaijan", "آذربایجان غربی"),
    "05": ("Kermanshah", "کرمانشاه"),
    "06": ("Khuzestan", "خوزستان"),
    "07": ("Fars", "فارس"),
    "08": ("Kerman", "کرمان"),
    "09": ("Razavi Khorasan", "خراسان رضوی"),
    "10": ("Isfahan", "اصفهان"),
    "11": ("Sistan and Baluchestan", "سیستان و بلوچستان"),
    "12": ("Kurdistan", "کردستان"),
    "13": ("Hamadan", "همدان"),
    "14": ("Chaharmahal and Bakhtiari", "چهارمحال و بختیاری"),
    "15": ("Lorestan", "لرستان"),
    "16": ("Ilam", "ایلام"),
    "17": ("Kohgiluyeh and Boyer-Ahmad", "کهگیلویه و بویراحمد"),
    "18": ("Bushehr", "بوشهر"),
    "19": ("Zanjan", "زنجان"),
    "20": ("Semnan", "سمنان"),
    "21": ("Yazd", "یزد"),
    "22": ("Hormozgan", "هرمزگان"),
    "23": ("Tehran", "تهران"),
    "24": ("Ardabil", "اردبیل"),
    "25": ("Qom", "قم"),
    "26": ("Qazvin", "قزوین"),
    "27": ("Golestan", "گلستان"),
    "28": ("North Khorasan", "خراسان شمالی"),
    "29": ("South Khorasan", "خراسان جنوبی"),
    "30": ("Alborz", "البرز"),
}

# Two-digit area code (without the trunk 0) -> ISO province code
AREA_CODE_PROVINCES = {
    "11": "02",  # Mazandaran (Sari)
    "13": "01",  # Gilan (Rasht)
    "17": "27",  # Golestan (Gorgan)
    "21": "23",  # Tehran
    "23": "20",  # Semnan
    "24": "19",  # Zanjan
    "25": "25",  # Qom
    "26": "30",  # Alborz (Karaj)
    "28": "26",  # Qazvin
    "31": "10",  # Isfahan
    "34": "08",  # Kerman
    "35": "21",  # Yazd
    "38": "14",  # Chaharmahal and Bakhtiari (Shahrekord)
    "41": "03",  # East Azerbaijan (Tabriz)
    "44": "04",  # West Azerbaijan (Urmia)
    "45": "24",  # Ardabil
    "51": "09",  # Razavi Khorasan (Mashhad)
    "54": "11",  # Sistan and Baluchestan (Zahedan)
    "56": "29",  # South Khorasan (Birjand)
    "58": "28",  # North Khorasan (Bojnurd)
    "61": "06",  # Khuzestan (Ahvaz)
    "66": "15",  # Lorestan (Khorramabad)
    "71": "07",  # Fars (Shiraz)
    "74": "17",  # Kohgiluyeh and Boyer-Ahmad (Yasuj)
    "76": "22",  # Hormozgan (Bandar Abbas)
    "77": "18",  # Bushehr
    "81": "13",  # Hamadan
    "83": "05",  # Kermanshah
    "84": "16",  # Ilam
    "86": "00",  # Markazi (Arak)
    "87": "12",  # Kurdistan (Sanandaj)
}


def province_for_area_code(area_code):
    """ISO province code for an area code (``"021"`` or ``"21"``), or ``None``."""
    if not area_code:
        return None
    return AREA_CODE_PROVINCES.get(str(area_code).lstrip("0").zfill(2))
