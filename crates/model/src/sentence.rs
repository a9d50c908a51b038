//! A relationship told as a sentence people read on a timeline: "Leif
//! Arne Langøy joins the board of Aker ASA", "… leaves the board of …",
//! never an id. Every surface (the CLI's timeline, the page) says it the
//! same way because it is said here once.

use crate::kinds::RelationshipKind;

/// Which moment of a relationship a sentence tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// It began.
    Start,
    /// It ended.
    End,
    /// It held (when is said elsewhere, or not known).
    Held,
}

/// The sentence for `kind` between `subject` and `object` (their names) at
/// `moment`; `role` (the subject's, in English) is said where the kind has
/// one ("… joins the board of Aker ASA as chair").
pub fn relationship_sentence(
    kind: RelationshipKind,
    moment: Moment,
    subject: &str,
    object: &str,
    role: Option<&str>,
) -> String {
    use Moment::{End, Held, Start};
    use RelationshipKind as K;
    let role = role.map(str::trim).filter(|r| !r.is_empty());
    // "joins the board of Aker ASA as board member" says nothing the
    // sentence did not: a board seat's plain role is left out.
    let plain = |r: &&str| {
        kind == RelationshipKind::BoardMembership
            && [
                "board member",
                "member",
                "member of the board",
                "board membership",
            ]
            .contains(&r.to_lowercase().as_str())
    };
    let role = role.filter(|r| !plain(r));
    let as_role = role.map(|r| format!(" as {r}")).unwrap_or_default();
    let (s, o) = (subject, object);
    match (kind, moment) {
        (K::BoardMembership, Start) => format!("{s} joins the board of {o}{as_role}"),
        (K::BoardMembership, End) => format!("{s} leaves the board of {o}"),
        (K::BoardMembership, Held) => format!("{s} sits on the board of {o}{as_role}"),
        (K::ExecutiveRole, Start) => {
            format!("{s} becomes {} of {o}", role.unwrap_or("an executive"))
        }
        (K::ExecutiveRole, End) => {
            format!("{s} stops being {} of {o}", role.unwrap_or("an executive"))
        }
        (K::ExecutiveRole, Held) => format!("{s} is {} of {o}", role.unwrap_or("an executive")),
        (K::Employment, Start) => format!("{s} starts work at {o}{as_role}"),
        (K::Employment, End) => format!("{s} leaves {o}"),
        (K::Employment, Held) => format!("{s} works at {o}{as_role}"),
        (K::Membership, Start) => format!("{s} joins {o}{as_role}"),
        (K::Membership, End) => format!("{s} leaves {o}"),
        (K::Membership, Held) => format!("{s} is a member of {o}{as_role}"),
        (K::Subsidiary, Start) => format!("{s} becomes a subsidiary of {o}"),
        (K::Subsidiary, End) => format!("{s} stops being a subsidiary of {o}"),
        (K::Subsidiary, Held) => format!("{s} is a subsidiary of {o}"),
        (K::Representation, Start) => format!("{s} starts to act for {o}{as_role}"),
        (K::Representation, End) => format!("{s} stops acting for {o}"),
        (K::Representation, Held) => format!("{s} acts for {o}{as_role}"),
        (kind, moment) => {
            let tie = tie_words(kind);
            match moment {
                Start => format!("{s} — {tie} — {o}: begins"),
                End => format!("{s} — {tie} — {o}: ends"),
                Held => format!("{s} — {tie} — {o}"),
            }
        }
    }
}

/// The words of a tie read from subject to object, for the kinds a verb
/// tells better than a noun ("owns", "pays").
fn tie_words(kind: RelationshipKind) -> &'static str {
    use RelationshipKind as K;
    match kind {
        K::Ownership => "owns (a share of)",
        K::Investment => "invests in",
        K::DataSharingAgreement => "shares data with",
        K::ApiAccess => "has API access to",
        K::Integration => "integrates with",
        K::Partnership => "partners with",
        K::Payment => "pays",
        K::AdvertisingSpend => "buys advertising from",
        K::Donation => "gives money to",
        K::Lobbying => "lobbies",
        K::Litigation => "goes to law against",
        _ => "is linked to",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Moment::*;
    use RelationshipKind as K;

    #[test]
    fn every_kind_and_moment_reads_as_a_sentence_naming_both_parties() {
        let cases = [
            (
                K::BoardMembership,
                Start,
                None,
                "Leif Arne Langøy joins the board of Aker ASA",
            ),
            (
                K::BoardMembership,
                Start,
                Some("chair"),
                "Leif Arne Langøy joins the board of Aker ASA as chair",
            ),
            (
                K::BoardMembership,
                Start,
                Some("Board member"),
                "Leif Arne Langøy joins the board of Aker ASA",
            ),
            (
                K::Membership,
                Start,
                Some("member"),
                "Leif Arne Langøy joins Aker ASA as member",
            ),
            (
                K::BoardMembership,
                End,
                Some("chair"),
                "Leif Arne Langøy leaves the board of Aker ASA",
            ),
            (
                K::BoardMembership,
                Held,
                None,
                "Leif Arne Langøy sits on the board of Aker ASA",
            ),
            (
                K::ExecutiveRole,
                Start,
                Some("CEO"),
                "Leif Arne Langøy becomes CEO of Aker ASA",
            ),
            (
                K::ExecutiveRole,
                End,
                None,
                "Leif Arne Langøy stops being an executive of Aker ASA",
            ),
            (
                K::Employment,
                Start,
                Some(" "),
                "Leif Arne Langøy starts work at Aker ASA",
            ),
            (
                K::Subsidiary,
                Held,
                None,
                "Leif Arne Langøy is a subsidiary of Aker ASA",
            ),
            (
                K::ApiAccess,
                Start,
                None,
                "Leif Arne Langøy — has API access to — Aker ASA: begins",
            ),
            (
                K::Payment,
                End,
                None,
                "Leif Arne Langøy — pays — Aker ASA: ends",
            ),
            (
                K::UnknownLink,
                Held,
                None,
                "Leif Arne Langøy — is linked to — Aker ASA",
            ),
        ];
        for (kind, moment, role, want) in cases {
            assert_eq!(
                relationship_sentence(kind, moment, "Leif Arne Langøy", "Aker ASA", role),
                want,
                "{kind} {moment:?} {role:?}"
            );
        }
    }

    #[test]
    fn every_kind_has_a_sentence_with_both_names() {
        for kind in K::ALL {
            for moment in [Start, End, Held] {
                let said = relationship_sentence(*kind, moment, "SUBJ", "OBJ", Some("role"));
                assert!(said.starts_with("SUBJ ") && said.contains("OBJ"), "{said}");
            }
        }
    }
}
