#!/usr/bin/env python3
"""Import the State Media Matrix into lexicons/outlets.tsv (docs/register.md).

usage: import-state-media-matrix.py [--force] CSV [REGISTER]

CSV is State_Media_Matrix.csv (ASD at GMF, seeded from the MJRC State Media
Monitor; default ../shared/lexicon-sources/state-media-matrix/). REGISTER
(default lexicons/outlets.tsv) is rewritten between the lines
'# begin import: ...' and '# end import'; everything else in it (the
header, the hand-written entries) is kept as it is. The begin line records a
SHA-256 of the block, so an imported row edited by hand since is noticed and
the script stops unless --force is given: fixes to imported rows belong in
SUPPLEMENT below, where a new upstream release keeps them.

One register entry per asset (same country and name after dropping editions
and prefixes such as "News agency: "), with the domains of all its rows; one
entry per media company whose name differs from its assets', as the assets'
parent. Nothing from the CSV is dropped except the one empty row; every row's
number appears in the source column of the entry it went into.
"""
import csv
import hashlib
import os
import re
import sys
import unicodedata

COUNTRY = {
    'Afghanistan': 'AF', 'Albania': 'AL', 'Algeria': 'DZ', 'Angola': 'AO', 'Argentina': 'AR',
    'Armenia': 'AM', 'Australia': 'AU', 'Austria': 'AT', 'Azerbaijan': 'AZ', 'Bahrain': 'BH',
    'Bangladesh': 'BD', 'Belarus': 'BY', 'Belgium': 'BE', 'Benin': 'BJ', 'Bhutan': 'BT',
    'Bolivia': 'BO', 'Bosnia and Herzegovina': 'BA', 'Botswana': 'BW', 'Brazil': 'BR',
    'Brunei': 'BN', 'Bulgaria': 'BG', 'Burkina Faso': 'BF', 'Burundi': 'BI', 'Cambodia': 'KH',
    'Cameroon': 'CM', 'Canada': 'CA', 'Central African Republic': 'CF', 'Chad': 'TD',
    'Chile': 'CL', 'China': 'CN', 'Colombia': 'CO', 'Congo': 'CG', 'Costa Rica': 'CR',
    'Croatia': 'HR', 'Cuba': 'CU', 'Cyprus': 'CY', 'Czechia': 'CZ', "Côte d'Ivoire": 'CI',
    'DR Congo': 'CD', 'Denmark': 'DK', 'Djibouti': 'DJ', 'Dominican Republic': 'DO',
    'Ecuador': 'EC', 'Egypt': 'EG', 'El Salvador': 'SV', 'Eritrea': 'ER', 'Estonia': 'EE',
    'Ethiopia': 'ET', 'Europen Union': 'EU', 'Finland': 'FI', 'France': 'FR', 'Gabon': 'GA',
    'Georgia': 'GE', 'Germany': 'DE', 'Ghana': 'GH', 'Greece': 'GR', 'Guatemala': 'GT',
    'Haiti': 'HT', 'Honduras': 'HN', 'Hong Kong': 'HK', 'Hungary': 'HU', 'Iceland': 'IS',
    'India': 'IN', 'Indonesia': 'ID', 'Iran': 'IR', 'Iraq': 'IQ', 'Ireland': 'IE',
    'Israel': 'IL', 'Italy': 'IT', 'Jamaica': 'JM', 'Japan': 'JP', 'Jordan': 'JO',
    'Kazakhstan': 'KZ', 'Kenya': 'KE', 'Kuwait': 'KW', 'Laos': 'LA', 'Latvia': 'LV',
    'Lebanon': 'LB', 'Lesotho': 'LS', 'Liberia': 'LR', 'Libya': 'LY', 'Liechtenstein': 'LI',
    'Lithuania': 'LT', 'Macao': 'MO', 'Madagascar': 'MG', 'Malawi': 'MW', 'Malaysia': 'MY',
    'Malta': 'MT', 'Mauritania': 'MR', 'Mexico': 'MX', 'Moldova': 'MD', 'Mongolia': 'MN',
    'Montenegro': 'ME', 'Morocco': 'MA', 'Mozambique': 'MZ', 'Myanmar': 'MM', 'Namibia': 'NA',
    'Nepal': 'NP', 'Netherlands': 'NL', 'New Zealand': 'NZ', 'Nicaragua': 'NI', 'Niger': 'NE',
    'Nigeria': 'NG', 'North Korea': 'KP', 'North Macedonia': 'MK', 'Norway': 'NO', 'Oman': 'OM',
    'Pakistan': 'PK', 'Palestine territories': 'PS', 'Panama': 'PA', 'Paraguay': 'PY',
    'Peru': 'PE', 'Philippines': 'PH', 'Poland': 'PL', 'Portugal': 'PT', 'Qatar': 'QA',
    'Romania': 'RO', 'Russia': 'RU', 'Rwanda': 'RW', 'Saudi Arabia': 'SA', 'Senegal': 'SN',
    'Serbia': 'RS', 'Singapore': 'SG', 'Slovakia': 'SK', 'Slovenia': 'SI', 'Somalia': 'SO',
    'South Africa': 'ZA', 'South Korea': 'KR', 'South Sudan': 'SS', 'Spain': 'ES',
    'Sri Lanka': 'LK', 'Sudan': 'SD', 'Sweden': 'SE', 'Switzerland': 'CH', 'Syria': 'SY',
    'Taiwan': 'TW', 'Tajikistan': 'TJ', 'Tanzania': 'TZ', 'Thailand': 'TH', 'The Gambia': 'GM',
    'Togo': 'TG', 'Tunisia': 'TN', 'Turkey': 'TR', 'Turkmenistan': 'TM', 'UAE': 'AE',
    'Uganda': 'UG', 'Ukraine': 'UA', 'United Kingdom': 'GB', 'United States of America': 'US',
    'Uruguay': 'UY', 'Uzbekistan': 'UZ', 'Vatican City': 'VA', 'Venezuela': 'VE',
    'Vietnam': 'VN', 'Yemen': 'YE', 'Zambia': 'ZM', 'Zimbabwe': 'ZW',
}

# The typology (README.upstream.md) as ownership and editorial control.
TYPOLOGY = {
    'SC': ('state_owned', 'state_controlled'),
    'CaPu': ('state_owned', 'captured'),
    'CaPr': ('private', 'captured'),
    'ISFM': ('state_funded_public', 'independent'),
    'ISFM?': ('state_funded_public', 'independent'),
    'ISF': ('state_funded_public', 'independent'),
    'ISM': ('public_service', 'independent'),
    'IP': ('public_service', 'independent'),
}

PREFIX = re.compile(r'^(News agency|Print media|Print|Television|Radio|Online|News portals)\s*:\s*')
EDITION = re.compile(r'^(English|French|Arabic|Chinese|German|Japanese|Korean|Russian|Spanish|'
                     r'Portuguese|Turkish|Italian|Persian|Urdu|[A-Z][a-z]+ edition)$')
CONNECTORS = {'of', 'de', 'del', 'la', 'le', 'les', 'and', 'y', 'et', 'the', 'di', 'du', 'des',
              'für', 've', 'i', 'da', 'do', 'e'}

# Names that are ordinary words, places or generic titles: such an entry is
# found from metadata and domains only, never matched in running text
# (column match = meta), and such a name is never made an alias.
GENERIC = {s.lower() for s in [
    'Azerbaijan', 'Iran', 'Turkmenistan', 'Qazaqstan', 'Oʻzbekiston', 'Turkiye', 'Ukraina',
    'Eurasia', 'Gold', 'Star', 'Today', 'Index', 'Hayat', 'Domingo', 'Horizons', 'Noticias',
    'Lokal', 'Liter', 'Mir', 'Posta', 'Informer', 'Desafio', 'Demokrata', 'Anis', 'Javan',
    'Quds', 'Khorasan', 'Felestin', 'Watan', 'Sabah', 'Gunes', 'Prva', 'Prvi', 'Kurir', 'Ria',
    'Karavan', 'Orbe', 'Respublika', 'Government press', 'Government press unit',
    'State press unit', 'State Publishing Office', 'Daily News', 'Daily Voice', 'The Herald',
    'The National', 'Radio Nacional', 'Channel 4', 'Channel 5', 'Canal 4', 'Canal 5',
    'Canal 6', 'Canal 7', 'Canal 8', 'Canal 9', 'Canal 10', 'Canal 12', 'Canal 13', 'Canal 15',
    'Canal 22', 'Public Radio', '41 Channel', 'Chollima', 'Al-Sabah', 'Assabah', 'Exame',
    'Sieci', 'Eurostar', 'Channel 30', 'Al Watan', 'Al-Shaab', 'Al-Thawra', 'Barricada',
    'Politika', 'Aksam', 'Origo.hu', 'Geled', 'Dalka', 'OneWorld', 'Passasson', 'Trigta',
    'Ubumwe', 'Akikat', 'Star TV', 'TV2', 'NTV', 'Channel One', 'Daily Nation',
    'Department of State Newspapers', 'The New Vision', 'Sunday News', 'Government Courier',
    'Voice of Ukraine', 'Belarus TV', 'Belarus Radio',
]}

# Hand-made corrections and additions to imported entries, keyed by
# (country code, name as imported). Each value's 'source' says where the
# added facts come from; it is appended to the entry's source column.
GFI = 'government_funded_international'
USAGM = 'USAGM own site usagm.gov (federal agency funding VOA, RFE/RL, RFA, OCB)'
SUPPLEMENT = {
    ('US', 'Voice of America'): dict(aliases=['VOA', 'Voz de América', 'Voice of America News'],
        kind='broadcaster', ownership=GFI, domains=['voanoticias.com'],
        source='ownership: ' + USAGM + '; aliases: voanews.com'),
    ('US', 'Radio Free Europe/Radio Liberty'): dict(aliases=['RFE/RL', 'Radio Free Europe',
        'Radio Liberty', 'RFERL'], kind='broadcaster', ownership=GFI,
        source='ownership: ' + USAGM + '; aliases: rferl.org'),
    ('US', 'Radio Free Asia'): dict(aliases=['RFA'], kind='broadcaster', ownership=GFI,
        source='ownership: ' + USAGM),
    ('US', 'Office for Cuba Broadcasting'): dict(aliases=['Office of Cuba Broadcasting',
        'U.S. Office of Cuba Broadcasting', 'OCB', 'Radio and Television Martí',
        'Radio and Television Marti', 'Radio y Televisión Martí', 'Radio y TV Martí',
        'Radio Martí', 'Radio Marti', 'TV Martí', 'TV Marti', 'Televisión Martí',
        'Martí Noticias', 'Marti Noticias'], kind='broadcaster', ownership=GFI,
        domains=['radiotelevisionmarti.com'],
        source='ownership: ' + USAGM + '; aliases: martinoticias.com about page, Wikipedia "Radio y Televisión Martí"'),
    ('US', 'Golos Ameriki'): dict(kind='broadcaster', ownership=GFI, source='ownership: ' + USAGM),
    ('US', 'Current Time TV'): dict(aliases=['Current Time', 'Nastoyashchee Vremya'],
        kind='broadcaster', ownership=GFI, source='ownership: ' + USAGM),
    ('US', 'Svoboda'): dict(kind='broadcaster', ownership=GFI, source='ownership: ' + USAGM),
    ('US', 'Krym Realii'): dict(kind='broadcaster', ownership=GFI, source='ownership: ' + USAGM),
    ('US', 'U.S. Agency for Global Media'): dict(aliases=['U.S. Agency for Global Media',
        'US Agency for Global Media', 'Broadcasting Board of Governors', 'BBG'],
        kind='government_body', ownership='state_owned', domains=['usagm.gov'],
        source='kind: USAGM own site usagm.gov (independent federal agency); BBG: its former name'),
    ('DE', 'DW'): dict(aliases=['Deutsche Welle', 'DW News'], kind='broadcaster', ownership=GFI,
        source='ownership: Deutsche Welle Act, DW own site dw.com (funded from the federal budget)'),
    ('FR', 'Radio France Internationale'): dict(aliases=['RFI'], kind='broadcaster', ownership=GFI,
        source='ownership: France Médias Monde own site (state-owned holding)'),
    ('FR', 'France24'): dict(aliases=['France 24'], kind='broadcaster', ownership=GFI,
        source='ownership: France Médias Monde own site (state-owned holding)'),
    ('FR', 'France Médias Monde'): dict(kind='company', ownership=GFI,
        source='ownership: France Médias Monde own site'),
    ('FR', 'TV5 Monde'): dict(aliases=['TV5MONDE'], kind='broadcaster', ownership=GFI,
        source='ownership: TV5Monde own site (funded by French-speaking governments)'),
    ('RU', 'RT International'): dict(aliases=['RT English'], kind='broadcaster',
        source='kind: rt.com'),
    ('RU', 'RT'): dict(aliases=['Russia Today', 'RT News', 'ANO TV-Novosti', 'TV-Novosti'],
        kind='broadcaster',
        source='aliases: rt.com, Wikipedia "RT (TV network)" (founded as Russia Today; run by ANO TV-Novosti)'),
    ('RU', 'RIA Novosti'): dict(aliases=['RIA'], kind='wire_agency',
        source='kind: Wikipedia "RIA Novosti" (state news agency)'),
    ('RU', 'Rossiya Segodnya'): dict(aliases=['Rossiya Segodnya', 'MIA Rossiya Segodnya'],
        kind='wire_agency', drop_aliases=['Russia Today'],
        source='"Russia Today" left to RT: it is the usual name of RT, not of this agency'),
    ('RU', 'TASS'): dict(aliases=['ITAR-TASS', 'Russian News Agency TASS'], kind='wire_agency',
        source='kind: tass.com about page'),
    ('RU', 'Sputnik News'): dict(aliases=['Sputnik'], kind='wire_agency',
        source='kind: sputnikglobe.com about page'),
    ('RU', 'Rossiyskaya Gazeta'): dict(aliases=['RG', 'Rossiiskaya Gazeta', 'Rossíiskaya Gazeta',
        'Российская газета'], kind='news_outlet',
        source='aliases: rg.ru (official government newspaper of the Russian Federation)'),
    ('RU', 'Pervyy kanal'): dict(aliases=['Channel One Russia', 'Perviy Kanal', 'Pervy Kanal',
        'First Channel'], kind='broadcaster', source='aliases: 1tv.ru'),
    ('RU', 'Zvezda'): dict(aliases=['TV Zvezda'], kind='broadcaster',
        source='kind: tvzvezda.ru (Russian Ministry of Defence channel)'),
    ('RU', 'Izvestia'): dict(aliases=['Izvestiya', 'Известия'], kind='news_outlet', source='aliases: iz.ru'),
    ('RU', 'Komsomolskaya Pravda'): dict(aliases=['KP'], kind='news_outlet', source='aliases: kp.ru'),
    ('BY', 'Belta'): dict(aliases=['BelTA', 'BELTA', 'Belarusian Telegraph Agency',
        'Belarusian Telegraph Agency BelTA'], kind='wire_agency',
        source='aliases: belta.by about page (Belarusian Telegraph Agency)'),
    ('CN', 'Xinhua'): dict(aliases=['Xinhua News Agency', 'New China News Agency'], kind='wire_agency',
        domains=['english.news.cn'], source='aliases: news.cn about page'),
    ('CN', 'China Global Television Network'): dict(aliases=['CGTN'], kind='broadcaster',
        source='kind: cgtn.com'),
    ('CN', 'Global Times'): dict(aliases=['Huanqiu Shibao'], kind='news_outlet',
        source='aliases: globaltimes.cn about page (published by People\'s Daily)'),
    ('CU', 'Granma'): dict(aliases=['Diario Granma', 'Periódico Granma'], kind='news_outlet',
        ownership='party_owned', match='text', parent='pcc-cu',
        source='kind/ownership/parent: granma.cu masthead (official organ of the Central Committee of the Communist Party of Cuba: a newspaper of the party, not the party); SMM typology kept'),
    ('CU', 'ACN'): dict(aliases=['Agencia Cubana de Noticias', 'Cuban News Agency'],
        kind='wire_agency', source='aliases: acn.cu'),
    ('CU', 'Prensa Latina'): dict(aliases=['PL', 'Agencia Informativa Latinoamericana'],
        kind='wire_agency', domains=['prensa-latina.cu'], source='aliases: prensa-latina.cu'),
    ('CU', 'Juventud Rebelde'): dict(kind='news_outlet', ownership='party_owned', parent='ujc-cu',
        source='kind/ownership/parent: juventudrebelde.cu (newspaper of the Union of Young Communists)'),
    ('CU', 'Cuban Institute of Radio and Television'): dict(aliases=['Instituto Cubano de Radio y Televisión'],
        kind='broadcaster', source='aliases: icrt.cu'),
    ('CU', 'Televisión Cubana'): dict(aliases=['Cuban Television'], kind='broadcaster',
        source='kind: tvcubana.icrt.cu'),
    ('VE', 'TeleSUR English'): dict(kind='broadcaster', source='kind: telesurenglish.net'),
    ('VE', 'TeleSUR'): dict(aliases=['teleSUR', 'Telesur'], kind='broadcaster',
        domains=['telesurtv.net'], source='domain: telesurtv.net (Spanish edition)'),
    ('VE', 'Venezolana de Televisión'): dict(aliases=['VTV'], kind='broadcaster', source='aliases: vtv.gob.ve'),
    ('IR', 'Press TV'): dict(aliases=['PressTV'], kind='broadcaster', domains=['presstv.com'],
        source='kind: presstv.ir; domain presstv.com: https://en.wikipedia.org/wiki/Press_TV (website)'),
    ('IR', 'PressTV Spanish'): dict(drop_domains=['presstv.com'],
        source='presstv.com is the English Press TV site (https://en.wikipedia.org/wiki/Press_TV), '
        'moved to Press TV; the Spanish channel is HispanTV'),
    ('IR', 'IRNA'): dict(aliases=['Islamic Republic News Agency'], kind='wire_agency',
        source='aliases: irna.ir'),
    ('IR', 'Islamic Republic News Agency'): dict(kind='wire_agency', source='kind: irna.ir'),
    ('IR', 'Tasnim News Agency'): dict(aliases=['Tasnim'], kind='wire_agency', source='kind: tasnimnews.com'),
    ('IR', 'Fars News Agency'): dict(aliases=['Fars', 'FNA'], kind='wire_agency', source='kind: farsnews.ir'),
    ('IR', 'Mehr News Agency'): dict(aliases=['Mehr'], kind='wire_agency', source='kind: mehrnews.com'),
    ('IR', 'Islamic Republic of Iran Broadcasting'): dict(kind='broadcaster', source='kind: irib.ir'),
    ('ES', 'EFE'): dict(aliases=['Agencia EFE', 'EFE News', 'Agencia Efe'], kind='wire_agency',
        source='kind/aliases: efe.com about page (majority owned by the Spanish state through SEPI)'),
    ('TR', 'Anadolu'): dict(aliases=['Anadolu Agency', 'Anadolu Ajansı', 'AA'], kind='wire_agency',
        source='aliases: aa.com.tr'),
    ('QA', 'Al Jazeera'): dict(aliases=['Al Jazeera English', 'Aljazeera'],
        kind='broadcaster', source='aliases: aljazeera.com'),
    ('GB', 'BBC'): dict(aliases=['British Broadcasting Corporation', 'BBC News', 'BBC World Service'],
        kind='broadcaster', source='aliases: bbc.com'),
    ('JP', 'NHK'): dict(aliases=['NHK World', 'NHK World-Japan'], kind='broadcaster', source='aliases: nhk.or.jp'),
    ('KP', 'KCNA'): dict(kind='wire_agency', source='kind: kcna.kp'),
    ('KR', 'Yonhap News Agency'): dict(aliases=['Yonhap'], kind='wire_agency', source='kind: yna.co.kr'),
    ('UA', 'Ukrinform'): dict(kind='wire_agency', source='kind: ukrinform.net (national news agency of Ukraine)'),
    ('US', 'NPR'): dict(aliases=['National Public Radio'], kind='broadcaster', ownership='non_profit',
        source='ownership: npr.org about page (independent non-profit)'),
    ('US', 'PBS'): dict(aliases=['Public Broadcasting Service'], kind='broadcaster', ownership='non_profit',
        source='ownership: pbs.org about page (non-profit)'),
}


def norm_space(s):
    return re.sub(r'\s+', ' ', s).strip()


def split_name(raw):
    """'News agency: X (Y)' -> (name, [aliases], kind hint, description)."""
    s = norm_space(raw.split(';')[0]).rstrip('*').strip().replace('\u2013', '-')
    s = re.sub(r'\s+(Sdn\. Bhd\.|Ltd\.|Inc\.|Co\.)$', '', s)
    if s.count(')') > s.count('('):
        s = s.replace(')', '').strip()
    hint = None
    m = PREFIX.match(s)
    if m:
        hint = m.group(1).lower()
        s = s[m.end():]
    aliases, desc = [], None
    m = re.match(r'^(.*?)\s*\(([^)]*)\)?\s*$', s)
    if m and m.group(1):
        s, inner = m.group(1).strip(), m.group(2).strip()
        inner = PREFIX.sub('', inner)
        words = inner.split()
        if EDITION.match(inner):
            desc = inner
        elif any(w[0].islower() and w.lower() not in CONNECTORS for w in words if w[0].isalpha()) \
                or inner.lower().startswith(('by ', 'control ')):
            desc = inner
        else:
            aliases.append(inner)
    return s, aliases, hint, desc


AGENCY = re.compile(r'\b(News Agency|Press Agency|Agence|Agencia|Agency|Presse|Press Service|'
                    r'Telegraph|Telegraphic|Sangbad Sangstha|Samachar|Xinhua|TASS|Interfax|'
                    r'Ukrinform|Kazinform|Anadolu|Bernama|Antara|Tanjug|Telam|Notimex|Moldpres|'
                    r'Montsame|Armenpress|Azertac|Agerpres|Andina|BelTA|Belta|KCNA|IRNA|ISNA|UzA|'
                    r'Khovar|Erina|Prensa Latina)\b')
BROADCAST = re.compile(r'\b(TV|Television|Televisión|Televisão|Télévision|Televizija|Televizioni|'
                       r'Televizyon|Televīzija|Radio|Radyo|Radju|Rádio|Broadcasting|Broadcaster|'
                       r'Channel|Canal|Rundfunk|Fernsehen|FM|Betar|Omroep|Televizionu|Radiotelevisione|'
                       r'Radiodiffusion|Radiotelevisión|Radiotelevizija|Teilifís|Telewizja|Radiotelevisiun|'
                       r'Rupavahini|Doordarshan|Teleradio|Radiovision|Irrati|Ringhääling|Televideniye)\b|'
                       r'\b[A-Z]*TV[A-Z0-9]*\b|^R[A-Z]*T[A-Z]*$')


def infer_kind(name, hint, company=False):
    if hint == 'news agency':
        return 'wire_agency'
    if hint in ('television', 'radio'):
        return 'broadcaster'
    if hint in ('print', 'print media', 'online', 'news portals'):
        return 'news_outlet'
    if AGENCY.search(name):
        return 'wire_agency'
    if BROADCAST.search(name):
        return 'broadcaster'
    return 'company' if company else 'news_outlet'


def fold_key(s):
    """Names that the register would take for one: 'Tsargrad.tv' and 'Tsargrad TV'."""
    return norm_space(re.sub(r'(?<=\w)[./:](?=\w)', ' ', s.lower()))


def slug(s):
    s = unicodedata.normalize('NFKD', s).encode('ascii', 'ignore').decode()
    s = re.sub(r'[^a-z0-9]+', '-', s.lower()).strip('-')
    return s or 'x'


def domain_of(url):
    u = url.strip()
    if not u:
        return None
    u = re.sub(r'^[a-z]+://', '', u, flags=re.I)
    host = u.split('/')[0].split(':')[0].lower().rstrip('.')
    host = re.sub(r'^www\d*\.', '', host)
    if host.startswith('test.') or '.' not in host:
        return None
    return host


class Entry:
    def __init__(self, name, country):
        self.name, self.country = name, country
        self.aliases, self.domains, self.rows, self.descs = [], [], [], []
        self.typologies, self.kind, self.parent, self.companies = [], None, '', set()
        self.id = None
        self.extra = {}

    def add_alias(self, a):
        a = norm_space(a)
        if a and fold_key(a) != fold_key(self.name) and fold_key(a) not in (fold_key(x) for x in self.aliases):
            self.aliases.append(a)


def build(rows):
    assets, companies, order = {}, {}, []
    for lineno, r in rows:
        if not any(v.strip() for v in r.values()):
            continue
        cc = COUNTRY[r['Country']]
        comp_name, comp_alias, _, comp_desc = split_name(r['Media company'])
        parts = [p.strip() for p in r['Main assets'].split(';') if p.strip()] or [r['Media company']]
        for part in parts:
            name, aliases, hint, desc = split_name(part)
            key = (cc, fold_key(name))
            e = assets.get(key)
            if not e:
                e = assets[key] = Entry(name, cc)
                e.kind = infer_kind(name, hint)
                order.append(e)
            for a in aliases:
                e.add_alias(a)
            if desc and desc not in e.descs:
                e.descs.append(desc)
            e.rows.append(lineno)
            e.typologies.append(r['Typology'].strip())
            d = domain_of(r['URL'])
            if d and d not in e.domains:
                e.domains.append(d)
            e.companies.add((cc, fold_key(comp_name)))
            ckey = (cc, fold_key(comp_name))
            c = companies.get(ckey)
            if not c:
                c = companies[ckey] = Entry(comp_name, cc)
                c.kind = infer_kind(comp_name, None, company=True)
            for a in comp_alias:
                c.add_alias(a)
            if comp_desc and comp_desc not in c.descs:
                c.descs.append(comp_desc)
            c.rows.append(lineno)
            c.typologies.append(r['Typology'].strip())
            c.domains_seen = getattr(c, 'domains_seen', [])
            if d:
                c.domains_seen.append(d)
    # A company named like one of its assets is that asset; the others are parents.
    # A company whose acronym is an asset's name ("Ghana News Agency (GNA)" and
    # "GNA") is that asset too: the asset takes the long name.
    for ckey, c in companies.items():
        if ckey in assets:
            continue
        for al in c.aliases:
            akey = (ckey[0], fold_key(al))
            if akey in assets and ckey not in assets:
                a = assets.pop(akey)
                a.name = c.name
                a.add_alias(al)
                a.kind = infer_kind(a.name, None)
                assets[ckey] = a
    parents = []
    for ckey, c in companies.items():
        if ckey in assets:
            a = assets[ckey]
            for al in c.aliases:
                a.add_alias(al)
            for e in order:
                e.companies = {ckey if x == ckey else x for x in e.companies}
            continue
        parents.append(c)
    entries = order + parents
    return entries, assets, companies


def finish(entries, assets, companies, warn):
    # Ids: slug-country, unique.
    seen = set()
    for e in entries:
        base = slug(e.name) + '-' + e.country.lower()
        i, eid = 2, base
        while eid in seen:
            eid = '%s-%d' % (base, i)
            i += 1
        seen.add(eid)
        e.id = eid
    for e in entries:
        for ck in sorted(e.companies):
            if ck != (e.country, fold_key(e.name)) and ck in companies and ck not in assets:
                e.parent = companies[ck].id
            elif ck in assets and assets[ck] is not e:
                e.parent = assets[ck].id
    # A domain shared by several entries goes to the company (or the asset named
    # like it); the others keep it in their source note only.
    owner = {}
    for e in entries:
        for d in e.domains:
            owner.setdefault(d, []).append(e)
    for d, es in owner.items():
        if len(es) < 2:
            continue
        keep = None
        for e in es:
            if any(ck == (e.country, fold_key(e.name)) for ck in e.companies):
                keep = e
        if not keep:
            pid = es[0].parent
            keep = next((x for x in entries if x.id == pid), es[0])
            if d not in keep.domains:
                keep.domains.append(d)
        for e in es:
            if e is not keep and d in e.domains:
                e.domains.remove(d)
                e.descs.append('shares the domain ' + d + ' with ' + keep.id)
    for e in entries:
        if not getattr(e, 'domains_seen', None) is None and e not in assets.values():
            pass
    # Typology, ownership and control.
    for e in entries:
        t = sorted(set(x for x in e.typologies if x))
        e.smm = t[0] if len(t) == 1 else ''
        if e.smm:
            e.ownership, e.control = TYPOLOGY[e.smm]
        else:
            e.ownership, e.control = 'unknown', ''
            if t:
                e.descs.append('assets typed ' + '/'.join(t))
    # Hand supplements.
    byname = {(e.country, e.name.lower()): e for e in entries}
    for (cc, name), s in SUPPLEMENT.items():
        e = byname.get((cc, name.lower())) or next(
            (x for x in entries if x.country == cc and name.lower() in (a.lower() for a in x.aliases)), None)
        if not e:
            sys.exit('import-state-media-matrix: supplement for (%s, %s) matches no entry' % (cc, name))
        for a in s.get('drop_aliases', []):
            e.aliases = [x for x in e.aliases if x.lower() != a.lower()]
        for a in s.get('aliases', []):
            e.add_alias(a)
        for d in s.get('drop_domains', []):
            e.domains = [x for x in e.domains if x != d]
        for d in s.get('domains', []):
            if d not in e.domains:
                e.domains.append(d)
        for f in ('kind', 'ownership', 'control', 'match'):
            if f in s:
                e.extra[f] = s[f]
        if 'parent' in s:       # an entry of the hand section: reg_compile checks it exists
            e.parent = s['parent']
        e.extra['source'] = s['source']
    # Generic names and aliases; conflict parties.
    for e in entries:
        e.aliases = [a for a in e.aliases if a.lower() not in GENERIC]
        e.kind = e.extra.get('kind', e.kind)
        e.ownership = e.extra.get('ownership', e.ownership)
        e.control = e.extra.get('control', e.control)
        e.match = e.extra.get('match', 'meta' if e.name.lower() in GENERIC else 'text')
        e.conflict = ''
        if e.country == 'RU' and e.control in ('state_controlled', 'captured'):
            e.conflict = 'russia-ukraine war: russia'
        if e.country == 'UA' and e.ownership == 'state_owned':
            e.conflict = 'russia-ukraine war: ukraine'
    # Acronym aliases that collide inside one country are dropped from the later entry.
    used = {}
    for e in entries:
        used.setdefault((e.country, fold_key(e.name)), e)
    for e in entries:
        for a in list(e.aliases):
            k = (e.country, fold_key(a))
            if k in used and used[k] is not e:
                e.aliases.remove(a)
                warn('alias %r of %s also names %s in %s: dropped' % (a, e.id, used[k].id, e.country))
            else:
                used[k] = e
    return entries


UPSTREAM = 'https://github.com/ASD-at-GMF/state-media-profiles'


def source_of(e):
    """The upstream repository's URL, then what its rows say, as one note."""
    rows = ','.join(str(n) for n in sorted(set(e.rows)))
    s = '%s (State Media Matrix d878fee, MJRC State Media Monitor seed: row%s %s' % (
        UPSTREAM, 's' if ',' in rows else '', rows)
    if e.smm:
        s += ': typology ' + e.smm
    if e.descs:
        s += '; ' + '; '.join(e.descs)
    s += '; kind inferred from the name'
    if 'source' in e.extra:
        s += '; hand: ' + e.extra['source']
    return s + ')'


def checked_of(e):
    """Imported facts are read from the stored list itself (its copy in
    ../shared/lexicon-sources): checked. A hand SUPPLEMENT was written from
    the pages it names, not read against a stored copy: not checked."""
    return 'no' if 'source' in e.extra else 'yes'


HEADER = ['id', 'name', 'aliases', 'domains', 'country', 'kind', 'ownership', 'control',
          'smm_typology', 'conflict_party', 'parent', 'match', 'flags', 'source', 'checked']


def clean(s):
    return s.replace('\t', ' ').replace('\n', ' ')


def render(entries):
    out = []
    for e in entries:
        f = [e.id, e.name, '|'.join(e.aliases), '|'.join(e.domains), e.country, e.kind,
             e.ownership, e.control, e.smm, e.conflict, e.parent, e.match,
             '|'.join(e.extra.get('flags', [])), source_of(e), checked_of(e)]
        out.append('\t'.join(clean(x) for x in f) + '\n')
    return ''.join(out)


BEGIN = '# begin import: State Media Matrix'
END = '# end import'


def main(argv):
    force = '--force' in argv
    args = [a for a in argv[1:] if a != '--force']
    if not args or len(args) > 2:
        sys.exit('usage: import-state-media-matrix.py [--force] CSV [REGISTER]')
    csv_path = args[0]
    reg = args[1] if len(args) > 1 else os.path.join(os.path.dirname(__file__), '..', 'outlets.tsv')
    with open(csv_path, encoding='utf-8-sig', newline='') as f:
        rows = [(i + 2, r) for i, r in enumerate(csv.DictReader(f))]
    warnings = []
    entries, assets, companies = build(rows)
    entries = finish(entries, assets, companies, warnings.append)
    block = render(entries)
    digest = hashlib.sha256(block.encode()).hexdigest()

    head, tail = None, ''
    if os.path.exists(reg):
        text = open(reg, encoding='utf-8').read()
        b, e = text.find(BEGIN), text.find(END)
        if b >= 0 and e > b:
            head = text[:b]
            old = text[text.index('\n', b) + 1:e]
            line = text[b:text.index('\n', b)]
            m = re.search(r'sha256 ([0-9a-f]{64})', line)
            if m and hashlib.sha256(old.encode()).hexdigest() != m.group(1) and not force:
                sys.exit('import-state-media-matrix: the import block of %s was edited by hand; '
                         'move the change into SUPPLEMENT or use --force' % reg)
            tail = text[text.index('\n', e) + 1:] if '\n' in text[e:] else ''
    if head is None:
        head = ('# outlets.tsv -- the register of outlets and organisations (docs/register.md).\n'
                '# One entry a line, tab-separated; lines starting with # are comments.\n'
                + '\t'.join(HEADER) + '\n')
        tail = '# ====== Entries added by hand (keep the source column true) ======\n'
    with open(reg + '.tmp', 'w', encoding='utf-8') as f:
        f.write(head)
        f.write('%s d878fee (%d rows, %d entries); generated by lexicons/tools/'
                'import-state-media-matrix.py; sha256 %s\n' % (BEGIN, len(rows), len(entries), digest))
        f.write(block)
        f.write(END + '\n')
        f.write(tail)
    os.replace(reg + '.tmp', reg)
    for w in warnings:
        print('import-state-media-matrix: ' + w, file=sys.stderr)
    n = sum(1 for _, r in rows if any(v.strip() for v in r.values()))
    print('import-state-media-matrix: %d rows read (%d non-empty), %d entries written (%d assets, %d parents)'
          % (len(rows), n, len(entries), len(assets), len(entries) - len(assets)), file=sys.stderr)


if __name__ == '__main__':
    main(sys.argv)
