//! Sample data for `kith demo`: leads and customers with the people at them and a few notes,
//! realistic enough to try every view on, and the same every time for a given size.
//!
//! Everything comes from word lists and a small fixed-seed PRNG (splitmix64), so the output
//! depends on the number of contacts asked for and nothing else; the store sets the timestamps.

use crate::domain::{ContactFields, NewActivity, ParentFields, ParentKind};
use crate::store::{Batch, Result, Store};

/// How many contacts `kith demo` creates when not told.
/// The most contacts `kith demo` makes: about 17 GB of store, and minutes of work.
pub const MAX_CONTACTS: u64 = 10_000_000;
pub const DEFAULT_CONTACTS: usize = 120;

/// The fewest leads and customers created, whatever the number of contacts: enough that the
/// lists have dozens of each.
const MIN_PARENTS: usize = 48;

/// What [`fill`] created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub leads: usize,
    pub customers: usize,
    pub contacts: usize,
    pub activities: usize,
}

/// Fills the store with sample data in one transaction, deterministic for a given `contacts`:
/// `max(48, contacts / 4)` leads and customers (5 in 8 of them leads), exactly `contacts`
/// contacts spread over them (each gets at least one when there are enough), and notes on about
/// one parent in five, roughly `contacts / 10` of them in all.
pub fn fill(store: &mut Store, contacts: usize) -> Result<DemoSummary> {
    store.batch(|b| Generator::new().run(b, contacts))
}

/// The number of leads and customers made for `contacts` contacts.
fn parent_count(contacts: usize) -> usize {
    MIN_PARENTS.max(contacts / 4)
}

/// splitmix64: tiny, fast and good enough for sample data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// Picks an index into `weights` with probability proportional to its weight.
    fn weighted(&mut self, weights: impl Iterator<Item = u32> + Clone) -> usize {
        let total: u32 = weights.clone().sum();
        let mut r = self.below(total as usize) as u32;
        for (i, w) in weights.enumerate() {
            if r < w {
                return i;
            }
            r -= w;
        }
        0
    }
}

// ---------------------------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------------------------

const COMPANY_PREFIXES: &[&str] = &[
    "Northwind",
    "Brightwater",
    "Bluepeak",
    "Ironwood",
    "Silverline",
    "Redstone",
    "Greenfield",
    "Clearview",
    "Stonebridge",
    "Oakridge",
    "Highland",
    "Riverbend",
    "Summit",
    "Harbor",
    "Cedar",
    "Maple",
    "Granite",
    "Evergreen",
    "Lakeside",
    "Pinecrest",
    "Copperleaf",
    "Starling",
    "Falcon",
    "Meridian",
    "Horizon",
    "Atlas",
    "Beacon",
    "Crescent",
    "Keystone",
    "Lighthouse",
    "Polaris",
    "Quantum",
    "Vertex",
    "Nimbus",
    "Aurora",
    "Solstice",
    "Tidewater",
    "Westbrook",
    "Eastgate",
    "Fairhaven",
    "Goldcrest",
    "Hawthorne",
    "Juniper",
    "Kestrel",
    "Larkspur",
    "Moonstone",
    "Northstar",
    "Orchard",
    "Pioneer",
    "Redwood",
    "Sapphire",
    "Thornbury",
    "Upland",
    "Vantage",
    "Willow",
    "Zephyr",
    "Alder",
    "Blackfern",
    "Coral",
    "Driftwood",
    "Foxglove",
    "Glacier",
    "Heron",
    "Indigo",
    "Kingsbridge",
    "Lumen",
    "Mistral",
    "Nordic",
    "Obsidian",
    "Pebble",
    "Rosewood",
    "Saltmarsh",
    "Tamarack",
    "Wren",
    "Yarrow",
    "Bramble",
    "Clover",
    "Ember",
    "Fjord",
    "Sequoia",
];

/// The second word of a company name, and the industry it suggests.
const COMPANY_CORES: &[(&str, &str)] = &[
    ("Analytics", "SaaS"),
    ("Software", "SaaS"),
    ("Cloud", "SaaS"),
    ("Data", "SaaS"),
    ("Systems", "SaaS"),
    ("Labs", "SaaS"),
    ("Digital", "SaaS"),
    ("Logistics", "Logistics"),
    ("Freight", "Logistics"),
    ("Shipping", "Logistics"),
    ("Transport", "Logistics"),
    ("Health", "Healthcare"),
    ("Medical", "Healthcare"),
    ("Clinics", "Healthcare"),
    ("Care", "Healthcare"),
    ("Biotech", "Biotech"),
    ("Therapeutics", "Biotech"),
    ("Manufacturing", "Manufacturing"),
    ("Robotics", "Manufacturing"),
    ("Industries", "Manufacturing"),
    ("Components", "Manufacturing"),
    ("Plastics", "Manufacturing"),
    ("Outfitters", "Retail"),
    ("Goods", "Retail"),
    ("Market", "Retail"),
    ("Apparel", "Retail"),
    ("Foods", "Retail"),
    ("Payments", "Fintech"),
    ("Capital", "Fintech"),
    ("Finance", "Fintech"),
    ("Ledger", "Fintech"),
    ("Learning", "Education"),
    ("Academy", "Education"),
    ("Education", "Education"),
    ("Energy", "Energy"),
    ("Solar", "Energy"),
    ("Power", "Energy"),
    ("Renewables", "Energy"),
    ("Media", "Media"),
    ("Studios", "Media"),
    ("Publishing", "Media"),
    ("Hotels", "Hospitality"),
    ("Hospitality", "Hospitality"),
    ("Construction", "Construction"),
    ("Builders", "Construction"),
    ("Farms", "Agriculture"),
    ("Agritech", "Agriculture"),
    ("Consulting", "Professional Services"),
    ("Advisory", "Professional Services"),
    ("Telecom", "Telecommunications"),
    ("Networks", "Telecommunications"),
    ("Insurance", "Insurance"),
];

/// Added to names once every prefix and core pair is taken, so that names stay unique.
const COMPANY_SUFFIXES: &[&str] = &[
    "Group",
    "Holdings",
    "International",
    "Partners",
    "Works",
    "Collective",
    "Solutions",
    "& Co",
];

const LEAD_SOURCES: &[(&str, u32)] = &[
    ("Website form", 9),
    ("Referral", 7),
    ("Trade show", 5),
    ("Cold outreach", 5),
    ("LinkedIn", 6),
    ("Webinar", 4),
    ("Partner", 3),
    ("Inbound call", 2),
    ("Content download", 3),
    ("Conference", 3),
    ("Google Ads", 2),
    ("Newsletter", 1),
];

const COMPANY_MAILBOXES: &[&str] = &["hello", "info", "contact", "sales", "office", "team"];

struct Country {
    /// National top-level domain, used by some of its companies instead of .com.
    tld: &'static str,
    weight: u32,
    culture: usize,
    phone: PhonePlan,
}

/// How a country's phone numbers look: the fixed prefix, then groups of random digits.
struct PhonePlan {
    prefixes: &'static [&'static str],
    /// Digit groups after the prefix; a group's first digit is never 0 when `lead_nonzero`.
    groups: &'static [usize],
    lead_nonzero: bool,
}

/// Indexes into [`CULTURES`] of the origins named in code.
const EN: usize = 0;
const ES: usize = 1;
const DE: usize = 2;
const FR: usize = 3;
const JA: usize = 6;
const ZH: usize = 8;
const PT: usize = 10;

/// Where companies are. Kept to a handful on purpose: the phone rule parses every number with
/// `phonenumber`, whose cache of compiled patterns (100 entries, shared by all regions) holds
/// about eight countries; numbers from more countries interleaved would recompile patterns on
/// nearly every call and make a large demo a hundred times slower. People of every origin in
/// [`CULTURES`] still work at these companies.
const COUNTRIES: &[Country] = &[
    // United States: 555-0100 to 555-0199 are reserved for fiction.
    Country {
        tld: ".com",
        weight: 34,
        culture: EN,
        phone: PhonePlan {
            prefixes: &[
                "+1 415 555 01",
                "+1 212 555 01",
                "+1 312 555 01",
                "+1 617 555 01",
                "+1 206 555 01",
                "+1 512 555 01",
                "+1 303 555 01",
                "+1 646 555 01",
            ],
            groups: &[2],
            lead_nonzero: false,
        },
    },
    // United Kingdom: 020 7946 0xxx is reserved for drama.
    Country {
        tld: ".co.uk",
        weight: 16,
        culture: EN,
        phone: PhonePlan {
            prefixes: &["+44 20 7946 0"],
            groups: &[3],
            lead_nonzero: false,
        },
    },
    Country {
        tld: ".de",
        weight: 12,
        culture: DE,
        phone: PhonePlan {
            prefixes: &["+49 30 ", "+49 89 ", "+49 40 "],
            groups: &[4, 4],
            lead_nonzero: true,
        },
    },
    Country {
        tld: ".fr",
        weight: 8,
        culture: FR,
        phone: PhonePlan {
            prefixes: &["+33 1 "],
            groups: &[2, 2, 2, 2],
            lead_nonzero: true,
        },
    },
    Country {
        tld: ".es",
        weight: 6,
        culture: ES,
        phone: PhonePlan {
            prefixes: &["+34 91 ", "+34 93 "],
            groups: &[3, 2, 2],
            lead_nonzero: true,
        },
    },
    Country {
        tld: ".co.jp",
        weight: 6,
        culture: JA,
        phone: PhonePlan {
            prefixes: &["+81 3 ", "+81 6 "],
            groups: &[4, 4],
            lead_nonzero: true,
        },
    },
    Country {
        tld: ".com.br",
        weight: 5,
        culture: PT,
        phone: PhonePlan {
            prefixes: &["+55 11 3", "+55 21 2"],
            groups: &[3, 4],
            lead_nonzero: false,
        },
    },
];

/// First and last names of one origin.
struct Culture {
    first: &'static [&'static str],
    last: &'static [&'static str],
}

const CULTURES: &[Culture] = &[
    // EN
    Culture {
        first: &[
            "James", "Emily", "Michael", "Sarah", "David", "Olivia", "Daniel", "Hannah", "Ryan",
            "Chloe", "Thomas", "Grace", "Matthew", "Megan", "Andrew", "Lauren", "Ben", "Rachel",
            "Sam", "Jessica", "Liam", "Amelia", "Noah", "Ava", "Ethan", "Zoë", "Owen", "Harper",
            "Marcus", "Nora", "Patrick", "Siobhan",
        ],
        last: &[
            "Smith", "Johnson", "Williams", "Brown", "Taylor", "Miller", "Wilson", "Anderson",
            "Clarke", "Walker", "Wright", "Hughes", "Bennett", "O'Brien", "Murphy", "Foster",
            "Carter", "Hayes", "Reed", "Collins", "Price", "Morgan", "Campbell", "Sullivan",
        ],
    },
    // ES
    Culture {
        first: &[
            "José",
            "María",
            "Ana",
            "Carlos",
            "Lucía",
            "Javier",
            "Sofía",
            "Diego",
            "Elena",
            "Andrés",
            "Inés",
            "Pablo",
            "Camila",
            "Mateo",
            "Valentina",
            "Raúl",
        ],
        last: &[
            "García",
            "Fernández",
            "López",
            "Martínez",
            "Rodríguez",
            "Sánchez",
            "Pérez",
            "Gómez",
            "Díaz",
            "Muñoz",
            "Ortega",
            "Romero",
            "Navarro",
            "Castillo",
        ],
    },
    // DE
    Culture {
        first: &[
            "Lukas",
            "Anna",
            "Jonas",
            "Lena",
            "Felix",
            "Marie",
            "Maximilian",
            "Sophie",
            "Jürgen",
            "Katrin",
            "Tobias",
            "Jana",
            "Matthias",
            "Julia",
            "Stefan",
            "Ute",
        ],
        last: &[
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Becker",
            "Wagner",
            "Hoffmann",
            "Schäfer",
            "Koch",
            "Richter",
            "Krüger",
            "Wolf",
            "Braun",
            "Zimmermann",
            "Groß",
        ],
    },
    // FR
    Culture {
        first: &[
            "Camille",
            "Léa",
            "Hugo",
            "Chloé",
            "Louis",
            "Manon",
            "Théo",
            "Inès",
            "Mathieu",
            "Céline",
            "Antoine",
            "Élodie",
            "Julien",
            "Margaux",
            "François",
            "Amélie",
        ],
        last: &[
            "Martin",
            "Bernard",
            "Dubois",
            "Lefèvre",
            "Moreau",
            "Laurent",
            "Girard",
            "Roux",
            "Fontaine",
            "Chevalier",
            "Rousseau",
            "Lemaire",
            "Faure",
            "Mercier",
        ],
    },
    // Polish
    Culture {
        first: &[
            "Łukasz",
            "Agnieszka",
            "Piotr",
            "Katarzyna",
            "Tomasz",
            "Magdalena",
            "Paweł",
            "Zofia",
            "Krzysztof",
            "Małgorzata",
            "Michał",
            "Joanna",
            "Wojciech",
            "Aleksandra",
        ],
        last: &[
            "Nowak",
            "Wójcik",
            "Woźniak",
            "Mazur",
            "Krawczyk",
            "Kaczmarek",
            "Zając",
            "Król",
            "Wieczorek",
            "Pawlak",
            "Michalak",
            "Sikora",
        ],
    },
    // Nordic
    Culture {
        first: &[
            "Søren", "Astrid", "Mads", "Ingrid", "Lars", "Freja", "Magnus", "Sigrid", "Henrik",
            "Maja", "Anders", "Linnéa", "Bjørn", "Karin", "Emil", "Ida",
        ],
        last: &[
            "Jensen",
            "Nielsen",
            "Hansen",
            "Andersen",
            "Larsen",
            "Sørensen",
            "Johansson",
            "Lindqvist",
            "Berg",
            "Halvorsen",
            "Dahl",
            "Nyström",
            "Åberg",
            "Holm",
        ],
    },
    // JA
    Culture {
        first: &[
            "Aiko", "Haruto", "Yuki", "Sakura", "Kenji", "Hina", "Takumi", "Yui", "Ren", "Mei",
            "Sota", "Emi", "Daiki", "Naoko",
        ],
        last: &[
            "Tanaka",
            "Sato",
            "Suzuki",
            "Takahashi",
            "Watanabe",
            "Ito",
            "Yamamoto",
            "Nakamura",
            "Kobayashi",
            "Kato",
            "Yoshida",
            "Yamada",
        ],
    },
    // Vietnamese
    Culture {
        first: &[
            "Minh", "Lan", "Huy", "Thảo", "Dũng", "Linh", "Phương", "Quang", "Hương", "Tuấn",
            "Trang", "Khoa",
        ],
        last: &[
            "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Huỳnh",
        ],
    },
    // ZH (romanised; some are written in characters, see CJK_NAMES)
    Culture {
        first: &[
            "Wei", "Fang", "Na", "Jing", "Lei", "Min", "Yan", "Jun", "Hui", "Xin", "Tao", "Ying",
        ],
        last: &[
            "Chen", "Wang", "Li", "Zhang", "Liu", "Yang", "Huang", "Zhao", "Wu", "Zhou",
        ],
    },
    // Indian
    Culture {
        first: &[
            "Priya", "Arjun", "Ananya", "Rahul", "Kavya", "Vikram", "Neha", "Rohan", "Aditi",
            "Sanjay", "Divya", "Karthik",
        ],
        last: &[
            "Patel", "Sharma", "Iyer", "Reddy", "Gupta", "Nair", "Singh", "Rao", "Mehta", "Kapoor",
            "Desai", "Menon",
        ],
    },
    // PT
    Culture {
        first: &[
            "João", "Beatriz", "Gabriel", "Larissa", "Rafael", "Mariana", "Thiago", "Juliana",
            "Felipe", "Letícia", "Bruno", "Fernanda",
        ],
        last: &[
            "Silva",
            "Santos",
            "Oliveira",
            "Souza",
            "Pereira",
            "Costa",
            "Rodrigues",
            "Almeida",
            "Carvalho",
            "Ribeiro",
            "Gonçalves",
            "Araújo",
        ],
    },
    // Dutch
    Culture {
        first: &[
            "Daan", "Sanne", "Bram", "Fleur", "Joris", "Eva", "Sem", "Lotte", "Ruben", "Anouk",
        ],
        last: &[
            "de Vries",
            "Jansen",
            "van Dijk",
            "Bakker",
            "Visser",
            "Smit",
            "Meijer",
            "de Boer",
            "Mulder",
            "van den Berg",
        ],
    },
    // Origins with no country of their own in the list, met anywhere.
    Culture {
        first: &[
            "Chinedu",
            "Ngozi",
            "Oluwaseun",
            "Amara",
            "Emeka",
            "Funmilayo",
            "Tunde",
            "Chiamaka",
            "Kwame",
            "Abena",
        ],
        last: &[
            "Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Mensah", "Nwosu", "Adebayo", "Osei",
            "Okoye",
        ],
    },
    Culture {
        first: &[
            "Omar", "Layla", "Youssef", "Noor", "Karim", "Yasmin", "Tariq", "Salma", "Rania",
            "Samir",
        ],
        last: &[
            "Haddad", "Khalil", "Nasser", "Farouk", "Mansour", "Saleh", "Rahman", "Hamdan",
        ],
    },
];

/// Chinese names written in characters, family name first: (family, given, family in pinyin,
/// given in pinyin).
const CJK_NAMES: &[(&str, &str, &str, &str)] = &[
    ("王", "芳", "wang", "fang"),
    ("李", "娜", "li", "na"),
    ("陈", "伟", "chen", "wei"),
    ("张", "静", "zhang", "jing"),
    ("刘", "洋", "liu", "yang"),
];

/// Titles with how often they occur; titles sharing a non-zero group are held by one person per
/// company (one CEO, one CTO whichever way it is written). An empty title means none.
const TITLES: &[(&str, u32, u32)] = &[
    ("CEO", 5, 1),
    ("Founder & CEO", 1, 1),
    ("CTO", 4, 2),
    ("Chief Technology Officer", 1, 2),
    ("CFO", 3, 3),
    ("COO", 2, 4),
    ("Managing Director", 1, 5),
    ("VP of Engineering", 3, 6),
    ("VP Sales", 3, 7),
    ("Head of Procurement", 3, 8),
    ("IT Director", 3, 9),
    ("Marketing Director", 3, 10),
    ("Head of People", 1, 11),
    ("Buyer", 5, 0),
    ("Procurement Manager", 3, 0),
    ("Engineering Manager", 6, 0),
    ("Office Manager", 4, 0),
    ("Executive Assistant", 4, 0),
    ("Product Manager", 6, 0),
    ("Software Engineer", 7, 0),
    ("Senior Software Engineer", 3, 0),
    ("Operations Manager", 5, 0),
    ("Account Manager", 4, 0),
    ("Sales Manager", 3, 0),
    ("Customer Success Manager", 3, 0),
    ("Finance Manager", 2, 0),
    ("Data Analyst", 2, 0),
    ("Designer", 2, 0),
    ("HR Manager", 2, 0),
    ("Legal Counsel", 1, 0),
    ("Project Manager", 3, 0),
    ("", 11, 0),
];

const SEATS: &[u32] = &[10, 15, 25, 40, 50, 75, 100, 150, 250, 500];

const CONTACT_NOTES: &[&str] = &[
    "Prefers email over calls.",
    "Technical reviewer for the pilot.",
    "Signs off on anything over the budget threshold.",
    "Met at the spring trade show.",
    "Books meetings for the leadership team; copy them on scheduling.",
    "Out on leave until next quarter; ask for a colleague meanwhile.",
    "Very responsive on LinkedIn, slow on email.",
    "Asked to be kept in the loop on the roadmap.",
    "Former customer at a previous company.",
    "Decision maker for the EMEA offices.",
];

const LEAD_NOTES: &[&str] = &[
    "Asked for a demo of the reporting module.",
    "Budget approved for next quarter; decision by the end of the month.",
    "Currently on spreadsheets; evaluating three vendors.",
    "Interested in the API and the SSO add-on.",
    "Small team, fast decisions. Wants a monthly plan.",
    "Their current contract with a competitor ends in the autumn.",
    "Downloaded the pricing guide twice.\nNo reply to the first email yet.",
    "Needs data hosted in the EU.",
];

const CUSTOMER_NOTES: &[&str] = &[
    "Annual contract, renews in March.\nPrimary contact prefers email.",
    "Pays by invoice, net 30.",
    "Onboarded in two weeks; very responsive IT team.",
    "Expansion opportunity: the second office is not on the plan yet.",
    "Uses the API heavily; keep them posted on rate limit changes.",
    "Renewal at risk: usage dropped last quarter.",
    "Reference customer: happy to take calls from prospects.",
    "Multi-year deal with a price lock.",
];

const CITIES: &[&str] = &[
    "Austin",
    "Berlin",
    "Lisbon",
    "Toronto",
    "Melbourne",
    "Kraków",
    "Lyon",
    "Osaka",
    "Denver",
    "Leeds",
];

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

/// One company as generated, before it becomes a lead or a customer.
struct Company {
    name: String,
    domain: String,
    industry: &'static str,
    country: &'static Country,
    /// Whether addresses are `first.last@` (else `flast@`).
    dotted_emails: bool,
}

/// One person as generated.
struct Person {
    first: &'static str,
    last: Option<&'static str>,
    /// Written family name first, with no space (王芳).
    family_first: bool,
    full: String,
    /// The ASCII local part of their email address.
    local: String,
}

/// How a note names a person: by their given name, or in full for a name written family name
/// first ("Call with Ana", "Call with 王芳").
#[derive(Clone, Copy)]
struct CallName {
    given: &'static str,
    family_first: Option<&'static str>,
}

impl std::fmt::Display for CallName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(family) = self.family_first {
            f.write_str(family)?;
        }
        f.write_str(self.given)
    }
}

struct Generator {
    rng: Rng,
    /// UIDs come from a stream of their own, so that the people drawn stay the same.
    uids: Rng,
    /// Email local parts used at the current company, to keep addresses unique.
    locals: Vec<String>,
    /// The contacts of the current company: id and how the notes call them.
    people: Vec<(i64, CallName)>,
}

impl Generator {
    fn new() -> Generator {
        Generator {
            rng: Rng(0x6B69_7468_2D64_656D),  // "kith-dem"
            uids: Rng(0x6B69_7468_2D75_6964), // "kith-uid"
            locals: Vec::new(),
            people: Vec::new(),
        }
    }

    fn run(mut self, b: &mut Batch, contacts: usize) -> Result<DemoSummary> {
        let parents = parent_count(contacts);
        let leads = parents * 5 / 8;
        let counts = self.contact_counts(contacts, parents);
        // About one parent in five gets notes, one to three: roughly contacts / 10 notes, and
        // never fewer than a handful.
        let activity_target = (contacts / 10).max(20);
        let mut summary = DemoSummary {
            leads: 0,
            customers: 0,
            contacts: 0,
            activities: 0,
        };
        let names = NameSpace::new();
        for (i, &count) in counts.iter().enumerate() {
            // Leads and customers interleaved evenly, exactly `leads` of the first kind.
            let is_lead = (i + 1) * leads / parents > i * leads / parents;
            let company = self.company(&names, i);
            self.locals.clear();
            self.people.clear();
            let parent_id = if is_lead {
                summary.leads += 1;
                self.add_lead(b, &company)?
            } else {
                summary.customers += 1;
                self.add_customer(b, &company)?
            };
            let mut groups_used = 0u64;
            for k in 0..count {
                let (fields, call) = self.contact(&company, k, &mut groups_used);
                let id = b.add_contact(parent_id, &fields)?;
                self.people.push((id, call));
                summary.contacts += 1;
            }
            if self.rng.below(2 * parents) < activity_target {
                let notes = 1 + self.rng.below(3);
                for _ in 0..notes {
                    let note = self.note(&company);
                    b.add_activity(parent_id, &note)?;
                    summary.activities += 1;
                }
            }
        }
        Ok(summary)
    }

    /// How many contacts each parent gets: one each first, the rest in proportion to a random
    /// weight, most companies small and a few large. Sums to exactly `contacts`.
    fn contact_counts(&mut self, contacts: usize, parents: usize) -> Vec<usize> {
        if contacts < parents {
            // Not enough for everyone: spread them evenly.
            return (0..parents)
                .map(|i| (i + 1) * contacts / parents - i * contacts / parents)
                .collect();
        }
        let weights: Vec<usize> = (0..parents)
            .map(|_| {
                let mut w = 1 + self.rng.below(4);
                if self.rng.chance(8) {
                    w += 6 + self.rng.below(8);
                }
                w
            })
            .collect();
        let total: usize = weights.iter().sum();
        let rest = contacts - parents;
        let mut counts: Vec<usize> = weights
            .iter()
            .map(|&w| 1 + (rest as u128 * w as u128 / total as u128) as usize)
            .collect();
        let given: usize = counts.iter().sum();
        let start = self.rng.below(parents);
        for k in 0..contacts - given {
            counts[(start + k) % parents] += 1;
        }
        counts
    }

    fn company(&mut self, names: &NameSpace, index: usize) -> Company {
        let (prefix, core, industry, tier) = names.get(index);
        let mut name = String::with_capacity(40);
        name.push_str(prefix);
        name.push(' ');
        name.push_str(core);
        let suffixes = COMPANY_SUFFIXES.len();
        if tier > 0 {
            name.push(' ');
            name.push_str(COMPANY_SUFFIXES[(tier - 1) % suffixes]);
            if tier > suffixes {
                name.push_str(&format!(" {}", (tier - 1) / suffixes + 1));
            }
        }
        let country = &COUNTRIES[self.rng.weighted(COUNTRIES.iter().map(|c| c.weight))];
        let tld = if industry == "SaaS" && self.rng.chance(25) {
            ".io"
        } else if self.rng.chance(55) {
            ".com"
        } else {
            country.tld
        };
        let mut domain = String::with_capacity(name.len() + tld.len());
        fold_ascii(&name, &mut domain);
        domain.push_str(tld);
        Company {
            name,
            domain,
            industry,
            country,
            dotted_emails: self.rng.chance(80),
        }
    }

    fn phone(&mut self, country: &Country) -> String {
        let plan = &country.phone;
        let mut s = String::with_capacity(20);
        s.push_str(self.rng.pick(plan.prefixes));
        for (g, &len) in plan.groups.iter().enumerate() {
            if g > 0 {
                s.push(' ');
            }
            for d in 0..len {
                let digit = if d == 0 && plan.lead_nonzero {
                    2 + self.rng.below(8)
                } else {
                    self.rng.below(10)
                };
                s.push(char::from(b'0' + digit as u8));
            }
        }
        s
    }

    fn person(&mut self, company: &Company) -> Person {
        let culture = if self.rng.chance(55) {
            company.country.culture
        } else {
            self.rng.below(CULTURES.len())
        };
        let mut local = String::with_capacity(24);
        let (first, last, family_first, full) = if culture == ZH && self.rng.chance(40) {
            let (family, given, family_ascii, given_ascii) = self.rng.pick(CJK_NAMES);
            local_part(
                company.dotted_emails,
                given_ascii,
                Some(family_ascii),
                &mut local,
            );
            (given, Some(family), true, format!("{family}{given}"))
        } else {
            let c = &CULTURES[culture];
            let first = self.rng.pick(c.first);
            // A few people are known by their first name only.
            let last = (!self.rng.chance(2)).then(|| self.rng.pick(c.last));
            let mut first_ascii = String::with_capacity(first.len());
            fold_ascii(first, &mut first_ascii);
            let mut last_ascii = String::with_capacity(16);
            if let Some(l) = last {
                fold_ascii(l, &mut last_ascii);
            }
            local_part(
                company.dotted_emails,
                &first_ascii,
                last.map(|_| last_ascii.as_str()),
                &mut local,
            );
            let full = match last {
                Some(l) => format!("{first} {l}"),
                None => first.to_string(),
            };
            (first, last, false, full)
        };
        // Two people of the same name at one company: number the second address.
        if self.locals.contains(&local) {
            let base = local.len();
            for k in 2.. {
                local.truncate(base);
                local.push_str(&k.to_string());
                if !self.locals.contains(&local) {
                    break;
                }
            }
        }
        self.locals.push(local.clone());
        Person {
            first,
            last,
            family_first,
            full,
            local,
        }
    }

    fn email(&self, local: &str, company: &Company) -> String {
        let mut s = String::with_capacity(local.len() + 1 + company.domain.len());
        s.push_str(local);
        s.push('@');
        s.push_str(&company.domain);
        s
    }

    fn website(&mut self, company: &Company) -> String {
        if self.rng.chance(15) {
            format!("https://www.{}", company.domain)
        } else {
            format!("https://{}", company.domain)
        }
    }

    fn mailbox(&mut self, company: &Company) -> String {
        let local = self.rng.pick(COMPANY_MAILBOXES);
        self.email(local, company)
    }

    fn industry(&mut self, company: &Company) -> Option<String> {
        (!self.rng.chance(7)).then(|| company.industry.to_string())
    }

    fn add_lead(&mut self, b: &mut Batch, company: &Company) -> Result<i64> {
        let primary = self.person(company);
        // One lead in five is missing its website or its email, so it stays New.
        let gap = self.rng.below(10);
        let website = (gap != 0 && gap != 1).then(|| self.website(company));
        let email = if gap == 2 {
            None
        } else if self.rng.chance(55) {
            Some(self.email(&primary.local, company))
        } else {
            Some(self.mailbox(company))
        };
        let phone = self.rng.chance(80).then(|| self.phone(company.country));
        let industry = self.industry(company);
        let source = (!self.rng.chance(6))
            .then(|| LEAD_SOURCES[self.rng.weighted(LEAD_SOURCES.iter().map(|s| s.1))].0);
        let notes = self.rng.chance(35).then(|| self.rng.pick(LEAD_NOTES));
        b.add_parent(
            ParentKind::Lead,
            &ParentFields {
                name: company.name.clone(),
                contact_name: Some(primary.full),
                email,
                phone,
                website,
                industry,
                source: source.map(str::to_string),
                notes: notes.map(str::to_string),
            },
        )
    }

    fn add_customer(&mut self, b: &mut Batch, company: &Company) -> Result<i64> {
        let website = self.rng.chance(95).then(|| self.website(company));
        let email = self.rng.chance(85).then(|| self.mailbox(company));
        let phone = self.rng.chance(85).then(|| self.phone(company.country));
        let industry = self.industry(company);
        let notes = self.rng.chance(60).then(|| self.rng.pick(CUSTOMER_NOTES));
        b.add_parent(
            ParentKind::Customer,
            &ParentFields {
                name: company.name.clone(),
                email,
                phone,
                website,
                industry,
                notes: notes.map(str::to_string),
                ..Default::default()
            },
        )
    }

    /// A version 4 UUID, the same on every run.
    fn uid(&mut self) -> String {
        let (a, b) = (self.uids.next(), self.uids.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            ((b >> 48) & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }

    /// The `k`th contact at a company, and how the notes call them.
    fn contact(
        &mut self,
        company: &Company,
        k: usize,
        groups_used: &mut u64,
    ) -> (ContactFields, CallName) {
        let person = self.person(company);
        let title = self.title(k, groups_used);
        let email = self
            .rng
            .chance(92)
            .then(|| self.email(&person.local, company));
        let phone = self.rng.chance(65).then(|| self.phone(company.country));
        let notes = self
            .rng
            .chance(7)
            .then(|| self.rng.pick(CONTACT_NOTES).to_string());
        let call = CallName {
            given: person.first,
            family_first: person.family_first.then_some(person.last).flatten(),
        };
        (
            ContactFields {
                first_name: Some(person.first.to_string()),
                last_name: person.last.map(str::to_string),
                full_name: Some(person.full),
                email,
                phone,
                title: (!title.is_empty()).then(|| title.to_string()),
                notes,
                uid: Some(self.uid()),
                ..Default::default()
            },
            call,
        )
    }

    /// A title, keeping one-per-company roles to one person; the first person at a company
    /// always has a title.
    fn title(&mut self, k: usize, groups_used: &mut u64) -> &'static str {
        for _ in 0..4 {
            let (title, _, group) = TITLES[self.rng.weighted(TITLES.iter().map(|t| t.1))];
            if group != 0 {
                let bit = 1u64 << group;
                if *groups_used & bit != 0 {
                    continue;
                }
                *groups_used |= bit;
            }
            if title.is_empty() && k == 0 {
                continue;
            }
            return title;
        }
        "Operations Manager"
    }

    /// A note on the current company, attached to one of its contacts three times in four.
    fn note(&mut self, company: &Company) -> NewActivity {
        let who = (!self.people.is_empty() && self.rng.chance(75))
            .then(|| self.people[self.rng.below(self.people.len())]);
        let seats = self.rng.pick(SEATS);
        let name = &company.name;
        let body = match who {
            Some((_, f)) => match self.rng.below(10) {
                0 => format!("Call with {f}: they want SSO before Q3.\nSend pricing for {seats} seats."),
                1 => format!(
                    "Demo for {f} and two engineers went well.\nFollow-up: security questionnaire and a trial account."
                ),
                2 => format!(
                    "Quarterly review with {f}.\n- Usage up since last quarter\n- Wants the API rate limit raised\n- Renewal talk in two months"
                ),
                3 => format!("Left a voicemail for {f}; try again Thursday morning."),
                4 => format!(
                    "Email from {f}: procurement needs our DPA and a W-9 before they can sign."
                ),
                5 => format!(
                    "Lunch with {f}. Budget is frozen until the new fiscal year; keep in touch."
                ),
                6 => format!(
                    "{f} is leaving {name} at the end of the month.\nAsk who takes over the account."
                ),
                7 => format!(
                    "Sent {f} a proposal for {seats} seats, 12-month term.\nDiscount capped at 10%."
                ),
                8 => format!(
                    "Support escalation: CSV export times out on large reports.\nEngineering is on it; update {f} by Friday."
                ),
                _ => format!(
                    "{f} asked for a reference customer in {}.\nCheck who would take a call.",
                    company.industry.to_lowercase()
                ),
            },
            None => match self.rng.below(4) {
                0 => format!("Internal: assign an account owner for {name}."),
                1 => format!("Pricing page visits from {name} three times this week."),
                2 => format!(
                    "Renewal reminder: contract ends in 60 days.\nCheck usage before the call; they are on {seats} seats."
                ),
                _ => format!(
                    "Their website says they opened an office in {}.\nWorth a call about more seats.",
                    self.rng.pick(CITIES)
                ),
            },
        };
        NewActivity::note(who.map(|(id, _)| id), &body)
    }
}

/// Company names by index, all distinct: the prefix and core pairs in a scrambled order, then
/// again with a suffix, and so on.
struct NameSpace {
    pairs: usize,
    step: usize,
}

impl NameSpace {
    fn new() -> NameSpace {
        let pairs = COMPANY_PREFIXES.len() * COMPANY_CORES.len();
        // A step coprime with the number of pairs walks through all of them once.
        let mut step = 7919;
        while gcd(step, pairs) != 1 {
            step += 2;
        }
        NameSpace { pairs, step }
    }

    fn get(&self, index: usize) -> (&'static str, &'static str, &'static str, usize) {
        let j = ((index % self.pairs) * self.step + 1234) % self.pairs;
        let prefix = COMPANY_PREFIXES[j % COMPANY_PREFIXES.len()];
        let (core, industry) = COMPANY_CORES[j / COMPANY_PREFIXES.len()];
        (prefix, core, industry, index / self.pairs)
    }
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// `first.last`, or `flast` when the company writes addresses that way; `first` alone when there
/// is no last name.
fn local_part(dotted: bool, first: &str, last: Option<&str>, out: &mut String) {
    match last {
        Some(last) if dotted => {
            out.push_str(first);
            out.push('.');
            out.push_str(last);
        }
        Some(last) => {
            out.extend(first.chars().next());
            out.push_str(last);
        }
        None => out.push_str(first),
    }
}

/// Appends the lower-case ASCII letters and digits of `s`, with Latin diacritics taken off
/// (é → e, ł → l, ø → o, ß → ss) and anything else (spaces, apostrophes, `&`) left out.
fn fold_ascii(s: &str, out: &mut String) {
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
            continue;
        }
        let folded = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ả' | 'ạ' | 'ấ' | 'ầ' | 'ẩ'
            | 'ẫ' | 'ậ' | 'ắ' | 'ằ' | 'ẳ' | 'ẵ' | 'ặ' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'č' => "c",
            'đ' | 'ď' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'ẻ' | 'ẽ' | 'ẹ' | 'ế' | 'ề' | 'ể' | 'ễ'
            | 'ệ' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ỉ' | 'ĩ' | 'ị' => "i",
            'ł' | 'ľ' => "l",
            'ñ' | 'ń' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'ơ' | 'ỏ' | 'ọ' | 'ố' | 'ồ' | 'ổ'
            | 'ỗ' | 'ộ' | 'ớ' | 'ờ' | 'ở' | 'ỡ' | 'ợ' => "o",
            'œ' => "oe",
            'ř' => "r",
            'ś' | 'š' | 'ş' => "s",
            'ß' => "ss",
            'ť' => "t",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ư' | 'ủ' | 'ũ' | 'ụ' | 'ứ' | 'ừ' | 'ử'
            | 'ữ' | 'ự' => "u",
            'ý' | 'ÿ' | 'ỳ' | 'ỷ' | 'ỹ' | 'ỵ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            _ => "",
        };
        out.push_str(folded);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreOptions;
    use std::collections::HashSet;

    fn store_in(dir: &tempfile::TempDir) -> Store {
        Store::open(&dir.path().join("kith.db"), &StoreOptions::default()).unwrap()
    }

    #[test]
    fn the_default_demo_has_dozens_of_parents_and_varied_titles() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_in(&dir);
        let summary = fill(&mut store, DEFAULT_CONTACTS).unwrap();
        assert_eq!(summary.contacts, 120);
        assert!(summary.leads >= 24, "{summary:?}");
        assert!(summary.customers >= 12, "{summary:?}");
        assert!(summary.activities > 0, "{summary:?}");
        assert_eq!(store.list_contacts(None).unwrap().len(), 120);
        let titles = store.titles().unwrap();
        assert!(titles.len() >= 8, "{titles:?}");
        let parents = store.list_parents().unwrap();
        assert_eq!(parents.len(), summary.leads + summary.customers);
        // Both automatic lead statuses show up.
        let statuses: HashSet<_> = parents.iter().map(|p| p.parent.status).collect();
        assert!(statuses.contains(&crate::domain::Status::New));
        assert!(statuses.contains(&crate::domain::Status::InformationFilled));
    }

    #[test]
    fn the_same_size_gives_the_same_data() {
        let run = || {
            let dir = tempfile::tempdir().unwrap();
            let mut store = store_in(&dir);
            let summary = fill(&mut store, 500).unwrap();
            let contacts: Vec<_> = store
                .list_contacts(None)
                .unwrap()
                .into_iter()
                .map(|c| {
                    (
                        c.fields.full_name,
                        c.fields.email,
                        c.fields.title,
                        c.parent_name,
                        c.fields.phone,
                    )
                })
                .collect();
            let parents: Vec<_> = store
                .list_parents()
                .unwrap()
                .into_iter()
                .map(|p| (p.parent.fields, p.parent.status))
                .collect();
            (summary, contacts, parents)
        };
        let a = run();
        assert_eq!(a, run());
        assert_eq!(a.0.contacts, 500);
    }

    #[test]
    fn every_parent_gets_a_contact() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_in(&dir);
        let summary = fill(&mut store, 1000).unwrap();
        assert_eq!(summary.contacts, 1000);
        assert_eq!(store.list_contacts(None).unwrap().len(), 1000);
        let parents = store.list_parents().unwrap();
        assert_eq!(parents.len(), 250);
        assert_eq!(summary.leads + summary.customers, 250);
        assert!(parents.iter().all(|p| p.contact_count >= 1));
        let names: HashSet<_> = parents
            .iter()
            .map(|p| p.parent.fields.name.clone())
            .collect();
        assert_eq!(names.len(), parents.len(), "company names are unique");
    }

    #[test]
    fn fewer_contacts_than_parents() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_in(&dir);
        let summary = fill(&mut store, 5).unwrap();
        assert_eq!(summary.contacts, 5);
        assert_eq!(summary.leads + summary.customers, MIN_PARENTS);
    }

    #[test]
    fn counts_always_sum_to_the_contacts() {
        for n in [0, 1, 47, 48, 49, 120, 191, 1000, 12_345] {
            let mut g = Generator::new();
            let p = parent_count(n);
            let counts = g.contact_counts(n, p);
            assert_eq!(counts.len(), p);
            assert_eq!(counts.iter().sum::<usize>(), n, "n = {n}");
            if n >= p {
                assert!(counts.iter().all(|&c| c >= 1));
            }
        }
    }

    #[test]
    fn culture_indexes_point_at_the_right_names() {
        for (culture, name) in [
            (EN, "James"),
            (ES, "José"),
            (DE, "Lukas"),
            (FR, "Camille"),
            (JA, "Aiko"),
            (ZH, "Wei"),
            (PT, "João"),
        ] {
            assert!(CULTURES[culture].first.contains(&name), "{name}");
        }
        assert!(COUNTRIES.iter().all(|c| c.culture < CULTURES.len()));
    }

    #[test]
    fn names_fold_to_ascii_without_losing_letters() {
        let mut all: Vec<&str> = CULTURES
            .iter()
            .flat_map(|c| c.first.iter().chain(c.last))
            .copied()
            .collect();
        all.extend(COMPANY_PREFIXES);
        all.extend(COMPANY_CORES.iter().map(|c| c.0));
        for name in all {
            let mut out = String::new();
            fold_ascii(name, &mut out);
            let letters = name.chars().filter(|c| c.is_alphanumeric()).count();
            assert!(out.len() >= letters, "{name:?} folded to {out:?}");
            assert!(out.bytes().all(|b| b.is_ascii_lowercase()), "{out:?}");
        }
    }

    #[test]
    fn company_names_are_distinct_far_beyond_the_word_lists() {
        let names = NameSpace::new();
        let mut g = Generator::new();
        let mut seen = HashSet::new();
        for i in 0..names.pairs * (COMPANY_SUFFIXES.len() + 3) {
            let c = g.company(&names, i);
            assert!(seen.insert(c.domain), "{}", c.name);
        }
    }
}
