//! The closed vocabularies of the model: kinds of entities, sources and
//! relationships, claim statuses, amount periods and qualifiers.
//!
//! Each value has a kebab-case name (used in timeline files and output) and
//! a term in the interlock ontology (`data/ontology.ttl`).

use std::fmt;

/// Declares a closed vocabulary: each variant with its file name and ontology term.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = ($word:literal, $term:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $word)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The kebab-case name used in timeline files and output.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// The local name of its term in the interlock ontology.
            pub fn term(self) -> &'static str {
                match self { $($name::$variant => $term),+ }
            }

            /// The value named `word` (kebab-case), if there is one.
            pub fn from_name(word: &str) -> Option<$name> {
                match word { $($word => Some($name::$variant),)+ _ => None }
            }

            /// The value whose ontology term has this local name.
            pub fn from_term(term: &str) -> Option<$name> {
                match term { $($term => Some($name::$variant),)+ _ => None }
            }

            /// The accepted names, comma-separated, for error messages.
            pub fn names() -> String {
                [$($word),+].join(", ")
            }
        }

        /// Read by name, as [`Self::from_name`].
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                by_name(d, stringify!($name), $name::from_name, &$name::names())
            }
        }

        /// The names, as a JSON Schema `enum` of strings.
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "enum": [$($word),+] })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// A value of a closed set read by its name (as `from_name` knows them);
/// for any other name, an error that lists `names`. `type_name` is the
/// set's type, named in the error as words (`EntityKind`: "entity kind").
pub fn by_name<'de, D: serde::Deserializer<'de>, T>(
    d: D,
    type_name: &str,
    from_name: fn(&str) -> Option<T>,
    names: &str,
) -> Result<T, D::Error> {
    use serde::Deserialize;
    let word = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    from_name(&word).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "unknown {} '{word}'; expected one of {names}",
            noun(type_name)
        ))
    })
}

/// A type's name as words for messages: `EntityKind` → `entity kind`.
fn noun(type_name: &str) -> String {
    let mut out = String::new();
    for (i, c) in type_name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}

vocabulary! {
    /// What an entity is.
    EntityKind {
        /// A company: a business organization.
        Company = ("company", "Company"),
        /// Any other organization (association, party, foundation, …).
        Organization = ("organization", "Organization"),
        /// A natural person.
        Person = ("person", "Person"),
        /// A legislature, agency, court or other public body.
        GovernmentBody = ("government-body", "GovernmentBody"),
        /// A product or technical system, such as an API.
        Product = ("product", "Product"),
    }
}

vocabulary! {
    /// What kind of document a source is.
    SourceKind {
        /// An article in a newspaper, magazine or news site.
        NewsArticle = ("news-article", "NewsArticle"),
        /// A document filed in or issued by a court.
        CourtFiling = ("court-filing", "CourtFiling"),
        /// A post on a social network.
        SocialMediaPost = ("social-media-post", "SocialMediaPost"),
        /// A company's own announcement.
        PressRelease = ("press-release", "PressRelease"),
        /// A report by an agency, NGO, company or researcher.
        Report = ("report", "Report"),
        /// A filing with, or extract from, an official register.
        RegistryRecord = ("registry-record", "RegistryRecord"),
        /// A published data set.
        Dataset = ("dataset", "DatasetSource"),
        /// A book or a chapter of one.
        Book = ("book", "Book"),
        /// An interview.
        Interview = ("interview", "Interview"),
        /// A web page of another kind.
        WebPage = ("web-page", "WebPage"),
    }
}

vocabulary! {
    /// How sure the sources are of a claim.
    ClaimStatus {
        /// Asserted by a party (e.g. in a lawsuit) and not established.
        Alleged = ("alleged", "Alleged"),
        /// Reported by a source as fact, not independently confirmed.
        Reported = ("reported", "Reported"),
        /// Confirmed by the parties, an official record or a ruling.
        Confirmed = ("confirmed", "Confirmed"),
        /// Denied by a party or contradicted by another source.
        Disputed = ("disputed", "Disputed"),
        /// Stated (e.g. in a headline) without support in the source's own body.
        Unsupported = ("unsupported", "Unsupported"),
    }
}

vocabulary! {
    /// The period an amount of money is counted over.
    AmountPeriod {
        /// The whole amount, once.
        Total = ("total", "Total"),
        /// Each year.
        PerYear = ("per-year", "PerYear"),
        /// Each quarter.
        PerQuarter = ("per-quarter", "PerQuarter"),
        /// Each month.
        PerMonth = ("per-month", "PerMonth"),
        /// Each week.
        PerWeek = ("per-week", "PerWeek"),
    }
}

vocabulary! {
    /// How exactly an amount is stated.
    AmountQualifier {
        /// The amount as given.
        Exact = ("exact", "Exact"),
        /// About this amount ("circa").
        Approximate = ("approximate", "Approximate"),
        /// This amount or more ("over").
        AtLeast = ("at-least", "AtLeast"),
        /// This amount or less ("up to").
        AtMost = ("at-most", "AtMost"),
    }
}

vocabulary! {
    /// What kind of tie a relationship is. The subject and object of each
    /// kind are documented with its direct property in the ontology.
    RelationshipKind {
        /// A person sits on an organization's board.
        BoardMembership = ("board-membership", "BoardMembership"),
        /// A person holds an executive office (CEO, CFO, …) at an organization.
        ExecutiveRole = ("executive-role", "ExecutiveRole"),
        /// A person is employed by an organization.
        Employment = ("employment", "Employment"),
        /// A person or organization belongs to an organization.
        Membership = ("membership", "Membership"),
        /// The subject owns (a share of) the object.
        Ownership = ("ownership", "Ownership"),
        /// The subject is a subsidiary of the object.
        Subsidiary = ("subsidiary", "Subsidiary"),
        /// The subject invested in the object.
        Investment = ("investment", "Investment"),
        /// The parties agreed to share data.
        DataSharingAgreement = ("data-sharing-agreement", "DataSharingAgreement"),
        /// The subject had access to an interface of the object.
        ApiAccess = ("api-access", "ApiAccess"),
        /// The subject integrated its product with the object's.
        Integration = ("integration", "Integration"),
        /// The parties worked together.
        Partnership = ("partnership", "Partnership"),
        /// The subject paid the object.
        Payment = ("payment", "Payment"),
        /// The subject bought advertising from the object.
        AdvertisingSpend = ("advertising-spend", "AdvertisingSpend"),
        /// The subject gave money to the object.
        Donation = ("donation", "Donation"),
        /// The subject lobbied the object.
        Lobbying = ("lobbying", "Lobbying"),
        /// The subject acts for the object.
        Representation = ("representation", "Representation"),
        /// The subject went to law against the object.
        Litigation = ("litigation", "Litigation"),
        /// A tie of unknown kind.
        UnknownLink = ("unknown-link", "UnknownLink"),
    }
}

impl RelationshipKind {
    /// The local name of the direct ("truthy") property from subject to object.
    pub fn direct_property(self) -> &'static str {
        match self {
            RelationshipKind::BoardMembership => "boardMemberOf",
            RelationshipKind::ExecutiveRole => "executiveOf",
            RelationshipKind::Employment => "employedBy",
            RelationshipKind::Membership => "memberOf",
            RelationshipKind::Ownership => "owns",
            RelationshipKind::Subsidiary => "subsidiaryOf",
            RelationshipKind::Investment => "investedIn",
            RelationshipKind::DataSharingAgreement => "sharesDataWith",
            RelationshipKind::ApiAccess => "hasApiAccessTo",
            RelationshipKind::Integration => "integratedWith",
            RelationshipKind::Partnership => "partnerOf",
            RelationshipKind::Payment => "paid",
            RelationshipKind::AdvertisingSpend => "advertisedWith",
            RelationshipKind::Donation => "donatedTo",
            RelationshipKind::Lobbying => "lobbied",
            RelationshipKind::Representation => "represents",
            RelationshipKind::Litigation => "litigatedAgainst",
            RelationshipKind::UnknownLink => "linkedTo",
        }
    }

    /// Whether the relationship ties a person to an organization as one of
    /// its officers, the ties board interlocks are made of.
    pub fn is_position(self) -> bool {
        matches!(
            self,
            RelationshipKind::BoardMembership
                | RelationshipKind::ExecutiveRole
                | RelationshipKind::Employment
        )
    }
}
