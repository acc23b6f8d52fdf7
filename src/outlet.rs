//! One outlet, one name: which news outlet an article comes from, from its URL and the name its
//! page gives, so that facets and `--source` count `news.detik.com`, `finance.detik.com` and
//! "detikcom" as one outlet, and "CNN Indonesia" beside `cnnindonesia.com` as another.
//!
//! An outlet is identified by a key: the key of a known outlet (`data/outlets.tsv`: domains and
//! page-given names of Indonesian outlets, with a readable name), else the first label of the
//! registered domain (`beritabaru` for `www.beritabaru.co`), else the page-given name squeezed
//! to letters and digits ("Berita Baru" → `beritabaru`), so that a name and the domain it spells
//! meet without being listed. The registered domain follows the public-suffix rule for the
//! second-level suffixes listed in [`SECOND_LEVEL_SUFFIXES`] (`kontan.co.id`, not `co.id`).
//!
//! ```
//! use newsidx::outlet;
//! let desk = outlet::identify(Some("detik.com"), Some("https://finance.detik.com/x")).unwrap();
//! assert_eq!((desk.key.as_str(), desk.name.as_str()), ("detik", "detikcom"));
//! assert_eq!(desk.host.as_deref(), Some("finance.detik.com"));
//! let named = outlet::identify(Some("CNN Indonesia"), None).unwrap();
//! assert_eq!(named.key, outlet::identify(Some("cnnindonesia.com"), None).unwrap().key);
//! ```

use std::collections::HashMap;

use once_cell::sync::Lazy;

/// The table of known outlets, one a line (format in the file's own header).
const KNOWN_OUTLETS: &str = include_str!("../data/outlets.tsv");

/// Second-level public suffixes under which a domain is registered one label deeper:
/// Indonesia's (PANDI's `.id` second levels) and the commonest elsewhere in the region and for
/// wire services. `kontan.co.id` is an outlet; `co.id` is not.
pub const SECOND_LEVEL_SUFFIXES: &[&str] = &[
    // Indonesia.
    "co.id",
    "ac.id",
    "go.id",
    "or.id",
    "sch.id",
    "net.id",
    "web.id",
    "my.id",
    "biz.id",
    "mil.id",
    "desa.id",
    "ponpes.id", // Elsewhere.
    "co.uk",
    "org.uk",
    "ac.uk",
    "com.au",
    "net.au",
    "org.au",
    "com.sg",
    "com.my",
    "co.jp",
    "com.cn",
    "com.hk",
    "co.kr",
    "com.ph",
    "co.th",
    "com.br",
    "co.in",
    "co.nz",
    "co.za",
    // Hosting platforms whose every subdomain is someone's own site.
    "blogspot.com",
    "wordpress.com",
];

/// Host prefixes that name no desk of their own: the mobile and accelerated copies of a site.
const SAME_SITE_PREFIXES: &[&str] = &["www.", "m.", "amp.", "mobile."];

/// Which outlet an article comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outlet {
    /// The outlet's identity: lowercase letters, digits and dots.
    pub key: String,
    /// The readable name shown in facets ("CNN Indonesia", "detikcom", or an unlisted
    /// outlet's registered domain).
    pub name: String,
    /// The host of the article's URL without `www.` or `m.` (`finance.detik.com`), or the
    /// domain the page names itself by; none for a name alone.
    pub host: Option<String>,
}

/// One line of the table.
struct Known {
    key: String,
    name: String,
}

/// The table, looked up by registered domain and by squeezed name.
struct Table {
    by_domain: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
    outlets: Vec<Known>,
}

static TABLE: Lazy<Table> = Lazy::new(|| parse_table(KNOWN_OUTLETS));

fn parse_table(text: &str) -> Table {
    let mut table = Table {
        by_domain: HashMap::new(),
        by_name: HashMap::new(),
        outlets: Vec::new(),
    };
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let columns: Vec<&str> = line.split('\t').collect();
        let [key, name, domains, names @ ..] = columns.as_slice() else {
            continue;
        };
        let at = table.outlets.len();
        table.outlets.push(Known {
            key: key.trim().to_string(),
            name: name.trim().to_string(),
        });
        for domain in domains
            .split(',')
            .filter(|domain| !domain.trim().is_empty())
        {
            table
                .by_domain
                .insert(domain.trim().to_ascii_lowercase(), at);
        }
        // The key and the readable name are names of the outlet too.
        let others = names.first().copied().unwrap_or_default();
        for alias in others.split(',').chain([*key, *name]) {
            let squeezed = squeeze(alias);
            if !squeezed.is_empty() {
                table.by_name.entry(squeezed).or_insert(at);
            }
        }
    }
    table
}

/// The outlet of an article from the name its page gives (`source`) and its URL.
///
/// A listed outlet found by the URL's domain wins, then one found by the name; otherwise the
/// URL's registered domain, then the name. None when both are missing or empty.
pub fn identify(source: Option<&str>, url: Option<&str>) -> Option<Outlet> {
    let url_host = url.and_then(host_of_url);
    let source = source.map(str::trim).filter(|name| !name.is_empty());
    let source_host = source.filter(|name| looks_like_host(name)).map(site_host);
    let host = url_host.or(source_host);
    let table = &*TABLE;
    let listed_by_domain = host
        .as_deref()
        .and_then(|host| table.by_domain.get(&registered_domain(host)));
    let listed = listed_by_domain.or_else(|| {
        let name = source?;
        let by_domain = looks_like_host(name)
            .then(|| table.by_domain.get(&registered_domain(&site_host(name))))
            .flatten();
        by_domain.or_else(|| table.by_name.get(&squeeze(name)))
    });
    if let Some(&at) = listed {
        let known = &table.outlets[at];
        return Some(Outlet {
            key: known.key.clone(),
            name: known.name.clone(),
            host,
        });
    }
    if let Some(host) = host {
        let domain = registered_domain(&host);
        // A page that names itself by its own subdomain is a site of its own on a shared
        // domain (a hosting platform's, a network's): `wartapesisir.example.id` calling
        // itself "Warta Pesisir" is not `example.id`.
        // A name written as a host is often the URL's own host, set by an extractor: no
        // evidence of a site of its own.
        let named = source
            .filter(|name| !looks_like_host(name))
            .map(squeeze)
            .filter(|name| !name.is_empty());
        let subdomains = host.len().saturating_sub(domain.len() + 1);
        let own_site = named.and_then(|name| {
            let mut at = 0;
            for label in host.get(..subdomains)?.split('.') {
                if squeeze(label) == name {
                    return host.get(at..).map(|site| (name, site.to_string()));
                }
                at += label.len() + 1;
            }
            None
        });
        let (key, name) = match own_site {
            Some(site) => site,
            None => (domain_key(&domain), domain),
        };
        return Some(Outlet {
            key,
            name,
            host: Some(host),
        });
    }
    let name = source?;
    let key = squeeze(name);
    (!key.is_empty()).then(|| Outlet {
        key,
        name: name.split_whitespace().collect::<Vec<_>>().join(" "),
        host: None,
    })
}

/// What a `--source NAME` selects: one desk (a host with a subdomain of its own, such as
/// `finance.detik.com`), or a whole outlet by its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    Host(String),
    Outlet(String),
}

/// Reads a `--source NAME` the way articles are identified: `finance.detik.com` is that desk,
/// `detik.com`, `detik`, `detikcom` and `www.detik.com` are the whole outlet.
pub fn selection(name: &str) -> Option<Selection> {
    let name = name.trim();
    if looks_like_host(name) {
        let host = site_host(name);
        if registered_domain(&host) != host {
            return Some(Selection::Host(host));
        }
    }
    identify(Some(name), None).map(|outlet| Selection::Outlet(outlet.key))
}

/// The host of `url`, lowercased, without a `www.`-like prefix; none when it has no dot.
fn host_of_url(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    looks_like_host(host).then(|| site_host(host))
}

/// `name` lowercased without a trailing dot or a `www.`-like prefix.
fn site_host(name: &str) -> String {
    let mut host = name.trim().trim_end_matches('.').to_ascii_lowercase();
    while let Some(prefix) = SAME_SITE_PREFIXES.iter().find(|prefix| {
        host.strip_prefix(**prefix)
            .is_some_and(|rest| rest.contains('.'))
    }) {
        host.drain(..prefix.len());
    }
    host
}

/// Whether `name` is written as a host name: letters, digits, dashes and dots, ending in an
/// alphabetic top-level label ("Kompas.com", "beritabaru.co"; not "CNN Indonesia", "3.5").
fn looks_like_host(name: &str) -> bool {
    let name = name.trim().trim_end_matches('.');
    let labels: Vec<&str> = name.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|top| top.len() >= 2 && top.chars().all(|c| c.is_ascii_alphabetic()))
}

/// The registered domain of `host`: its last two labels, or three under a listed
/// second-level suffix (`pusatdata.kontan.co.id` → `kontan.co.id`).
pub fn registered_domain(host: &str) -> String {
    let labels: Vec<&str> = host.split('.').filter(|label| !label.is_empty()).collect();
    let suffix_labels = match labels.as_slice() {
        [.., second, top]
            if SECOND_LEVEL_SUFFIXES.contains(&format!("{second}.{top}").as_str()) =>
        {
            2
        }
        _ => 1,
    };
    let keep = (suffix_labels + 1).min(labels.len());
    labels[labels.len() - keep..].join(".")
}

/// The key of an unlisted outlet's registered domain: its first label, as a page-given name
/// squeezes to (`beritabaru.co` → `beritabaru`).
fn domain_key(domain: &str) -> String {
    domain.split('.').next().map(squeeze).unwrap_or_default()
}

/// `name` lowercased, with only its letters and digits: how names are compared.
fn squeeze(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(source: Option<&str>, url: Option<&str>) -> String {
        identify(source, url)
            .map(|outlet| outlet.key)
            .unwrap_or_default()
    }

    #[test]
    fn the_table_reads_whole() {
        let table = parse_table(KNOWN_OUTLETS);
        let lines = KNOWN_OUTLETS
            .lines()
            .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
            .count();
        assert_eq!(table.outlets.len(), lines);
        for known in &table.outlets {
            assert!(!known.key.is_empty() && !known.name.is_empty());
            assert_eq!(known.key, known.key.to_lowercase());
        }
        // Every listed domain is a registered domain, or it would never be looked up.
        for domain in table.by_domain.keys() {
            assert_eq!(&registered_domain(domain), domain);
        }
    }

    #[test]
    fn subdomains_fold_into_the_registered_domain() {
        assert_eq!(registered_domain("finance.detik.com"), "detik.com");
        assert_eq!(registered_domain("pusatdata.kontan.co.id"), "kontan.co.id");
        assert_eq!(registered_domain("kontan.co.id"), "kontan.co.id");
        assert_eq!(registered_domain("bmkg.go.id"), "bmkg.go.id");
        assert_eq!(registered_domain("jogja.antaranews.com"), "antaranews.com");
        assert_eq!(registered_domain("co.id"), "co.id");
        let desks = [
            "https://news.detik.com/a",
            "https://www.detik.com/b",
            "http://m.detik.com",
        ];
        for url in desks {
            assert_eq!(key(None, Some(url)), "detik", "{url}");
        }
        // An unlisted outlet under a second-level suffix.
        let outlet = identify(None, Some("https://daerah.beritaku.or.id/x")).unwrap();
        assert_eq!(outlet.key, "beritaku");
        assert_eq!(outlet.name, "beritaku.or.id");
        assert_eq!(outlet.host.as_deref(), Some("daerah.beritaku.or.id"));
    }

    #[test]
    fn names_and_domains_of_one_outlet_meet() {
        let cnn = key(Some("cnnindonesia.com"), None);
        assert_eq!(key(Some("CNN Indonesia"), None), cnn);
        assert_eq!(
            key(
                Some("cnn indonesia"),
                Some("https://www.cnnindonesia.com/x")
            ),
            cnn
        );
        assert_eq!(
            key(Some("antaranews"), None),
            key(Some("antaranews.com"), None)
        );
        assert_eq!(key(Some("ANTARA"), None), "antaranews");
        // Unlisted: a name meets the domain whose first label it spells.
        assert_eq!(
            key(Some("Berita Baru"), None),
            key(Some("Beritabaru.co"), None)
        );
        assert_eq!(key(Some("Berita Baru"), None), "beritabaru");
        // A site on a shared domain that names itself by its subdomain.
        let own = identify(
            Some("Warta Pesisir"),
            Some("https://wartapesisir.example.id/a"),
        )
        .unwrap();
        assert_eq!(
            (own.key.as_str(), own.name.as_str()),
            ("wartapesisir", "wartapesisir.example.id")
        );
        assert_eq!(key(Some("Warta Pesisir"), None), "wartapesisir");
        let by_host = Some("daerah.kabarkota.co.id");
        assert_eq!(
            key(by_host, Some("https://daerah.kabarkota.co.id/b")),
            "kabarkota"
        );
        assert_eq!(
            key(Some("Kabar"), Some("https://daerah.example.id/a")),
            "example"
        );
        assert_eq!(
            key(None, Some("https://kabardesa.blogspot.com/a")),
            "kabardesa"
        );
        // The URL's listed outlet wins over a name that disagrees.
        assert_eq!(
            key(Some("juara.net"), Some("https://juara.bolasport.com/x")),
            "bolasport"
        );
        assert_eq!(key(Some("juara.net"), None), "bolasport");
    }

    #[test]
    fn readable_names() {
        let name = |source, url| identify(source, url).unwrap().name;
        assert_eq!(name(Some("cnn indonesia"), None), "CNN Indonesia");
        assert_eq!(name(None, Some("https://finance.detik.com/x")), "detikcom");
        assert_eq!(name(Some("dailysocial.id"), None), "DailySocial");
        assert_eq!(
            name(None, Some("https://www.example-news.co.id/a")),
            "example-news.co.id"
        );
        assert_eq!(name(Some("  Warta   Desa "), None), "Warta Desa");
        assert!(identify(Some("  "), None).is_none());
        assert!(identify(None, Some("not a url")).is_none());
        assert!(identify(None, None).is_none());
    }

    #[test]
    fn a_source_selects_a_desk_or_an_outlet() {
        assert_eq!(
            selection("finance.detik.com"),
            Some(Selection::Host("finance.detik.com".into()))
        );
        for whole in [
            "detik.com",
            "www.detik.com",
            "detik",
            "detikcom",
            "DetikCom",
        ] {
            assert_eq!(
                selection(whole),
                Some(Selection::Outlet("detik".into())),
                "{whole}"
            );
        }
        assert_eq!(
            selection("CNN Indonesia"),
            Some(Selection::Outlet("cnnindonesia".into()))
        );
        assert_eq!(
            selection("pusatdata.kontan.co.id"),
            Some(Selection::Host("pusatdata.kontan.co.id".into()))
        );
        assert_eq!(
            selection("kontan.co.id"),
            Some(Selection::Outlet("kontan".into()))
        );
        assert_eq!(selection(""), None);
    }
}
