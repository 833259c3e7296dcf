#!/usr/bin/env python3
"""Generate the SmokeGate demo registry: response-chain.yaml and devices.csv.

Modelled on a real kind of place, not on real people: one street (涌泉街道), the
fire-rescue station that covers it, six communities, 38 grids and 1,000 detectors in old
housing estates and small venues (九小场所). Every name, address and phone number is made
up. The output is deterministic (fixed seed, no clock), so re-running it gives the same
files byte for byte.

Usage:  python3 config/demo/generate.py     (writes beside this script)
Python 3 standard library only.
"""

import csv
import json
import random
import re
from pathlib import Path

SEED = 20261122
DEVICE_COUNT = 1000
HERE = Path(__file__).resolve().parent

STATION = {
    "id": "wgxz",
    "name": "武广高铁西站消防救援站",
    "contacts": [
        {"id": "wgxz-duty", "name": "值班室", "phone": "0735-0000000"},
    ],
}
STREET_ID = "yongquan"
STREET_NAME = "涌泉街道"
STREET_PREFIX = "yq"

# id suffix, name, grid count, roads, shelters (several grids may share one shelter)
COMMUNITIES = [
    ("c01", "涌泉社区", 7, ["涌泉路", "北湖路", "人民西路"],
     ["涌泉社区文化广场", "涌泉小学操场", "北湖公园南门广场"]),
    ("c02", "燕泉社区", 6, ["燕泉路", "同心路", "燕泉巷"],
     ["燕泉社区党群服务中心广场", "燕泉中学田径场", "同心路口袋公园"]),
    ("c03", "桥口社区", 7, ["桥口路", "西河路", "老街"],
     ["桥口社区篮球场", "西河滨江绿地", "桥口小学操场"]),
    ("c04", "西站社区", 6, ["西站大道", "高铁西路", "站前路"],
     ["高铁西站东广场", "站前公园", "西站社区应急避难场所"]),
    ("c05", "南塔社区", 6, ["南塔路", "骆仙路", "塔下巷"],
     ["南塔岭体育公园", "南塔社区文化广场", "骆仙中学操场"]),
    ("c06", "西河社区", 6, ["西河路", "滨河路", "农机路"],
     ["西河湿地公园入口广场", "滨河小学操场", "西河社区应急避难场所"]),
]

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林郑梁谢唐许邓冯曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢钟谭廖")
GIVEN = ["丽", "芳", "敏", "静", "伟", "强", "磊", "军", "勇", "艳", "娟", "霞", "平", "刚", "杰",
         "秀英", "建华", "志强", "海燕", "春梅", "晓东", "国平", "红梅", "立新", "小燕", "建军",
         "文华", "玉兰", "桂芳", "德明", "卫东", "丽君", "俊峰", "雪梅", "爱民", "新民", "慧",
         "婷", "琳", "斌", "鹏", "波", "辉", "峰", "璐", "倩", "雯", "浩"]
GRID_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]

ESTATE_WORDS = ["桂园", "兴隆", "和平", "东风", "向阳", "建设", "幸福", "红旗", "友谊", "新华",
                "光明", "长青", "园丁", "丰收", "金泉", "银杏", "翠竹", "枫林", "锦绣", "福泰",
                "安居", "康乐", "泰和", "永安", "富康", "荷塘", "青松", "朝阳", "南苑", "北苑"]
ESTATE_SUFFIX = ["小区", "新村", "花园", "小区", "公寓", "小区"]
WORK_UNITS = ["水泥厂", "粮食局", "供销社", "机械厂", "纺织厂", "电力局", "烟草公司", "农机厂",
              "印刷厂", "自来水公司", "邮电局", "教育局", "卫生局", "汽运公司", "建筑公司",
              "木材公司", "食品公司", "百货公司", "铁路", "化肥厂", "棉纺厂", "造纸厂"]
WORK_SUFFIX = ["宿舍", "家属区", "职工宿舍", "生活区"]

BRAND_WORDS = ["佳乐", "顺发", "旺旺", "鑫源", "福满", "好又多", "万家", "金桥", "惠民", "兴旺",
               "红星", "老街", "湘味", "郴味", "大众", "如意", "吉祥", "百顺", "宏达", "恒通",
               "永兴", "天天", "开心", "阳光", "好运", "聚福", "家和", "利民", "盛世", "新时代"]

# venue_type -> (name kinds, detector count range, locations inside the venue)
VENUE_KINDS = {
    "shop": (["便利店", "五金店", "超市", "服装店", "手机店", "建材店", "电动车行", "烟酒店", "日杂店"],
             (1, 3), ["营业厅", "仓库", "二楼住人夹层", "收银台上方", "电动车充电区"]),
    "restaurant": (["鱼粉店", "米粉店", "小吃店", "家常菜馆", "烧烤店", "火锅店", "快餐店", "早餐店"],
                   (1, 4), ["后厨", "大堂", "包厢1", "包厢2", "储藏间", "二楼雅座"]),
    "hotel": (["宾馆", "旅馆", "招待所", "快捷酒店", "民宿"],
              (4, 12), None),
    "workshop": (["汽修厂", "木器加工厂", "服装加工厂", "印刷店", "家具作坊", "电动车维修店"],
                 (2, 5), ["车间", "仓库", "配电房", "原料堆放区", "办公室", "员工宿舍"]),
    "school": (["幼儿园", "培训中心", "托管中心", "艺术培训学校"],
               (4, 10), None),
    "clinic": (["诊所", "卫生室", "口腔诊所", "中医馆", "社区卫生服务站"],
               (1, 3), ["诊室", "药房", "输液室", "候诊区"]),
    "entertainment": (["KTV", "网吧", "棋牌室", "足浴店", "台球室"],
                      (2, 6), None),
    "market": (["农贸市场", "综合市场", "小商品市场"],
               (5, 10), None),
}
# how often each kind of venue is opened while filling a grid
VENUE_WEIGHTS = [("residential", 52), ("shop", 12), ("restaurant", 11), ("hotel", 5),
                 ("workshop", 5), ("school", 4), ("clinic", 4), ("entertainment", 5), ("market", 2)]
# chance that a venue of this kind was fitted with NB-IoT detectors (no gateway needed)
NBIOT_CHANCE = {"residential": 0.16, "shop": 0.45, "restaurant": 0.40, "hotel": 0.20,
                "workshop": 0.40, "school": 0.15, "clinic": 0.40, "entertainment": 0.25,
                "market": 0.20}

DIRECTIONS = ["东", "南", "西", "北", "东南", "西南", "东北", "西北"]
GATES = ["东门", "南门", "西门", "北门", "正门", "侧门"]
PASSAGES = ["消防通道", "主干道", "小区内环路", "楼间通道", "人行步道", "临街巷道"]


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.phones = set()
        self.names_used = set()   # venue and estate names, unique across the street
        self.house_no = {}        # road -> last house number given out

    # --- small helpers ---------------------------------------------------------------

    def phone(self):
        while True:
            number = self.rng.choice(["138", "139"]) + "".join(
                str(self.rng.randrange(10)) for _ in range(8))
            if number not in self.phones:
                self.phones.add(number)
                return number

    def person(self):
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def address_on(self, road):
        number = self.house_no.get(road, self.rng.randint(1, 20)) + self.rng.randint(2, 9)
        self.house_no[road] = number
        return f"{road}{number}号"

    def unique_name(self, make):
        for _ in range(1000):
            name = make()
            if name not in self.names_used:
                self.names_used.add(name)
                return name
        raise RuntimeError("ran out of unique names")

    def estate_name(self):
        def make():
            if self.rng.random() < 0.45:
                return self.rng.choice(WORK_UNITS) + self.rng.choice(WORK_SUFFIX)
            return self.rng.choice(ESTATE_WORDS) + self.rng.choice(ESTATE_SUFFIX)
        return self.unique_name(make)

    # --- the registry ----------------------------------------------------------------

    def grid_quotas(self, grid_count):
        """Split DEVICE_COUNT over the grids, unevenly but summing exactly."""
        weights = [self.rng.uniform(0.6, 1.5) for _ in range(grid_count)]
        total = sum(weights)
        raw = [w / total * DEVICE_COUNT for w in weights]
        quotas = [int(r) for r in raw]
        by_remainder = sorted(range(grid_count), key=lambda i: raw[i] - quotas[i], reverse=True)
        for i in by_remainder[: DEVICE_COUNT - sum(quotas)]:
            quotas[i] += 1
        return quotas

    def residential_rooms(self, units, floors):
        rooms = []
        for unit in range(1, units + 1):
            for floor in range(1, floors + 1):
                for door in (1, 2):
                    rooms.append(f"{unit}单元{floor}0{door}室")
                rooms.append(f"{unit}单元{floor}楼楼道")
        return rooms

    def fill_grid(self, grid_id, roads, quota, state):
        """Venues and detectors of one grid; returns (devices, estates of the grid)."""
        devices = []
        estates = []
        estate = None
        remaining = quota
        first = True
        while remaining > 0:
            if first:
                kind = "residential"  # every grid holds at least one old estate
                first = False
            else:
                kinds = [k for k, _ in VENUE_WEIGHTS if k != "market" or not state["market"]]
                weights = [w for k, w in VENUE_WEIGHTS if k in kinds]
                kind = self.rng.choices(kinds, weights)[0]
            if kind == "residential":
                if estate is None or estate["next"] > estate["buildings"]:
                    road = self.rng.choice(roads)
                    estate = {"name": self.estate_name(), "gate": self.address_on(road),
                              "road": road, "buildings": self.rng.randint(3, 10), "next": 1}
                    estates.append(estate)
                building = estate["next"]
                estate["next"] += 1
                venue = f"{estate['name']}{building}栋"
                rooms = self.residential_rooms(self.rng.randint(1, 3), self.rng.randint(5, 7))
                size = min(self.rng.randint(3, 10), remaining, len(rooms))
                spots = sorted(self.rng.sample(range(len(rooms)), size))
                addresses = [f"{estate['gate']}{venue}{rooms[i]}" for i in spots]
            else:
                names, (lo, hi), spots_pool = VENUE_KINDS[kind]
                if kind == "market":
                    state["market"] = True
                    venue = self.unique_name(lambda: state["stem"] + self.rng.choice(names))
                else:
                    venue = self.unique_name(lambda: self.rng.choice(BRAND_WORDS) + self.rng.choice(names))
                place = self.address_on(self.rng.choice(roads))
                size = min(self.rng.randint(lo, hi), remaining)
                addresses = [f"{place} {venue}{spot}" for spot in self.venue_spots(kind, spots_pool, size)]
            profile = "nbiot" if self.rng.random() < NBIOT_CHANCE[kind] else ""
            for address in addresses:
                devices.append({"grid": grid_id, "address": address, "venue": venue,
                                "venue_type": kind, "profile": profile})
            remaining -= len(addresses)
        return devices, estates

    def venue_spots(self, kind, pool, size):
        if pool is not None:
            spots = list(pool)
            self.rng.shuffle(spots)
            while len(spots) < size:
                spots.append(f"{spots[len(spots) % len(pool)]}{len(spots) // len(pool) + 1}")
            return spots[:size]
        if kind == "hotel":
            rooms = [f"{f}楼{f}0{r}房" for f in range(1, 6) for r in range(1, 9)]
            rooms = self.rng.sample(rooms, size - 1) if size > 1 else []
            return ["1楼大堂"] + sorted(rooms)
        if kind == "school":
            pool = ["教室1", "教室2", "教室3", "教室4", "午休室", "厨房", "办公室", "图书角",
                    "楼梯间", "配电房"]
        elif kind == "entertainment":
            pool = ["大厅", "吧台", "配电间", "包厢1", "包厢2", "包厢3", "包厢4", "走廊", "储物间"]
        else:  # market
            pool = [f"{area}区{n}号摊位" for area in "ABC" for n in range(1, 9)] + ["配电房", "冷库"]
        return self.rng.sample(pool, size)

    def evacuation(self, estates, roads, shelters):
        estate = estates[0]
        direction = self.rng.choice(DIRECTIONS)
        passage = self.rng.choice(PASSAGES)
        shelter = self.rng.choice(shelters)
        entry = self.rng.choice(GATES)
        building = self.rng.randint(1, estate["buildings"])
        route = [self.rng.choice(["郴州大道", "人民西路", "北湖路"]), estate["road"],
                 f"{estate['name']}{entry}", f"{building}栋"]
        if route[0] == route[1]:
            route.pop(0)
        return {
            "direction": f"向{direction}经{estate['name']}{passage}疏散至{shelter}",
            "shelter": shelter,
            "rescue_route": " -> ".join(route),
        }

    def build(self):
        street = {
            "id": STREET_ID, "name": STREET_NAME, "station": STATION["id"],
            "contacts": [
                {"id": f"{STREET_PREFIX}-duty", "name": "应急办值班", "phone": self.phone()},
                {"id": f"{STREET_PREFIX}-fire", "name": f"{self.person()}（消防专干）", "phone": self.phone()},
            ],
            "communities": [],
        }
        grid_total = sum(c[2] for c in COMMUNITIES)
        quotas = iter(self.grid_quotas(grid_total))
        devices = []
        for suffix, name, grid_count, roads, shelters in COMMUNITIES:
            cid = f"{STREET_PREFIX}-{suffix}"
            community = {
                "id": cid, "name": name,
                "contacts": [
                    {"id": f"{cid}-duty", "name": "社区值班室", "phone": self.phone()},
                    {"id": f"{cid}-head", "name": f"{self.person()}（社区书记）", "phone": self.phone()},
                ],
                "grids": [],
            }
            state = {"market": False, "stem": name[:-2]}  # 涌泉社区 -> 涌泉农贸市场
            for g in range(1, grid_count + 1):
                gid = f"{cid}-g{g:02d}"
                grid_devices, estates = self.fill_grid(gid, roads, next(quotas), state)
                devices.extend(grid_devices)
                community["grids"].append({
                    "id": gid, "name": f"第{GRID_NUMERALS[g - 1]}网格",
                    "contacts": [{"id": f"{gid}-w", "name": f"{self.person()}（网格员）",
                                  "phone": self.phone()}],
                    "evacuation": self.evacuation(estates, roads, shelters),
                })
            street["communities"].append(community)
        for n, device in enumerate(devices, start=1):
            if device["profile"] == "nbiot":
                # NB-IoT detectors arrive through the CTWing push, which names them by IMEI.
                device["device_id"] = f"86{4_180_000_000_000 + n * 7919:013d}"
            else:
                device["device_id"] = f"{STREET_PREFIX.upper()}-{n:06d}"
        return {"stations": [STATION], "streets": [street]}, devices


# --- YAML output (hand-written so the generator needs no third-party module) -------------

YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def scalar(value, flow=False):
    """A YAML 1.1 scalar: plain where that cannot be misread, double-quoted otherwise."""
    s = str(value)
    plain = (
        s and s == s.strip()
        and s[0] not in "-?:,[]{}#&*!|>'\"%@`" and not s[0].isdigit()
        and ": " not in s and " #" not in s and not s.endswith(":")
        and not (flow and any(c in s for c in ",[]{}"))
        and s.lower() not in YAML11_WORDS
        and not re.fullmatch(r"[-+.0-9_:eE]+|[-+]?\.(inf|nan)", s, re.IGNORECASE)
    )
    return s if plain else json.dumps(s, ensure_ascii=False)


def contact(c):
    return "{ " + ", ".join(f"{k}: {scalar(c[k], flow=True)}" for k in ("id", "name", "phone")) + " }"


def write_chain(chain, path):
    out = [
        "# SmokeGate demo response chain -- GENERATED by config/demo/generate.py, do not edit.",
        "# Demo data: every name, address and phone number is made up.",
        "# Regenerate with: python3 config/demo/generate.py",
        "",
        "stations:                        # fire-rescue stations (消防救援站)",
    ]
    for st in chain["stations"]:
        out += [f"  - id: {scalar(st['id'])}", f"    name: {scalar(st['name'])}", "    contacts:"]
        out += [f"      - {contact(c)}" for c in st["contacts"]]
    out += ["", "streets:                         # 街道: the command centre"]
    for street in chain["streets"]:
        out += [f"  - id: {scalar(street['id'])}", f"    name: {scalar(street['name'])}",
                f"    station: {scalar(street['station'])}", "    contacts:"]
        out += [f"      - {contact(c)}" for c in street["contacts"]]
        out.append("    communities:                 # 社区")
        for com in street["communities"]:
            out += ["", f"      # {com['name']}: {len(com['grids'])} grids",
                    f"      - id: {scalar(com['id'])}", f"        name: {scalar(com['name'])}",
                    "        contacts:"]
            out += [f"          - {contact(c)}" for c in com["contacts"]]
            out.append("        grids:                   # 网格: one grid worker each")
            for grid in com["grids"]:
                out += [f"          - id: {scalar(grid['id'])}", f"            name: {scalar(grid['name'])}",
                        "            contacts:"]
                out += [f"              - {contact(c)}" for c in grid["contacts"]]
                out.append("            evacuation:")
                for key in ("direction", "shelter", "rescue_route"):
                    out.append(f"              {key}: {scalar(grid['evacuation'][key])}")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def write_devices(devices, path):
    fields = ["device_id", "grid", "address", "venue", "venue_type", "profile"]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(devices)


def main():
    chain, devices = Generator(SEED).build()
    write_chain(chain, HERE / "response-chain.yaml")
    write_devices(devices, HERE / "devices.csv")
    grids = sum(len(c["grids"]) for s in chain["streets"] for c in s["communities"])
    nbiot = sum(1 for d in devices if d["profile"] == "nbiot")
    venues = len({d["venue"] for d in devices})
    print(f"wrote {HERE.name}/response-chain.yaml: {grids} grids; "
          f"{HERE.name}/devices.csv: {len(devices)} detectors, {venues} venues, {nbiot} nbiot")


if __name__ == "__main__":
    main()
