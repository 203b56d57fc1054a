//! Merging the proposals of several proposers into one list the editor can show.
//!
//! Overlapping proposals are resolved by score, and every proposer's score is meant as a
//! calibrated probability that the span is right: the gazetteer's is how often its form was
//! that entity in held-out training folds, a rule's is its measured precision, memory's is the
//! rule-of-succession estimate of how often the annotator accepts the form, the model's is its
//! confidence at a temperature fitted on held-out sentences. So a memorised short name (`الأسد`,
//! accepted once: 0.67) no longer hides a longer proposal that is more likely right
//! (`بشار الأسد` from the model at 0.9), as it did when lists were ranked by a fixed trust order.
//!
//! Proposals are taken best first; one that overlaps a proposal already taken is dropped. Equal
//! scores go to the longer span (a proposer that found both `مجلس الأمن الدولي` and `الأمن`
//! meant the longer name), then to the earlier list, then to the earlier start.

use std::collections::BTreeMap;

use super::Proposal;

/// Proposals of several proposers as one list sorted by start in which no two proposals
/// overlap, the better scored winning each overlap; empty ranges are dropped. The order of the
/// lists only breaks ties.
pub fn combine(lists: Vec<Vec<Proposal>>) -> Vec<Proposal> {
    let mut all: Vec<(usize, Proposal)> = lists.into_iter().enumerate().flat_map(|(i, list)| list.into_iter().map(move |p| (i, p))).collect();
    all.retain(|(_, p)| !p.range.is_empty());
    all.sort_by(|(la, a), (lb, b)| {
        b.score.total_cmp(&a.score).then(b.range.len().cmp(&a.range.len())).then(la.cmp(lb)).then(a.range.start.cmp(&b.range.start))
    });
    // Taken proposals by start; they never overlap, so only the one starting last before a
    // candidate's end can overlap it.
    let mut taken: BTreeMap<usize, Proposal> = BTreeMap::new();
    for (_, proposal) in all {
        let overlaps = taken.range(..proposal.range.end).next_back().is_some_and(|(_, q)| q.range.end > proposal.range.start);
        if !overlaps {
            taken.insert(proposal.range.start, proposal);
        }
    }
    taken.into_values().collect()
}

#[cfg(test)]
mod tests {
    use std::ops::Range;

    use super::*;

    fn p(range: Range<usize>, label: &str, source: &str, score: f32) -> Proposal {
        Proposal { range, label: label.to_owned(), score, source: source.to_owned() }
    }

    fn summary(proposals: &[Proposal]) -> Vec<(Range<usize>, &str, &str)> {
        proposals.iter().map(|p| (p.range.clone(), p.label.as_str(), p.source.as_str())).collect()
    }

    #[test]
    fn the_better_score_wins_overlaps_whatever_the_list() {
        let memory = vec![p(10..20, "ORG", "memory", 0.6)];
        let gazetteer = vec![p(0..5, "LOC", "gazetteer", 0.9), p(15..30, "LOC", "gazetteer", 0.8)];
        let rules = vec![p(18..22, "PERS", "rules", 0.7), p(30..35, "PERS", "rules", 0.7)];
        let out = combine(vec![memory, gazetteer, rules]);
        assert_eq!(summary(&out), vec![(0..5, "LOC", "gazetteer"), (15..30, "LOC", "gazetteer"), (30..35, "PERS", "rules")]);
    }

    #[test]
    fn a_memorised_short_name_no_longer_hides_a_longer_better_proposal() {
        // «التقى بشار الأسد»: الأسد was accepted once (memory's estimate 2/3); the model proposes
        // the full name at 0.9.
        let text = "التقى بشار الأسد";
        let chars: Vec<char> = text.chars().collect();
        let (full, surname) = (6..chars.len(), 11..chars.len());
        assert_eq!(chars[surname.clone()].iter().collect::<String>(), "الأسد");
        let mut memory = crate::propose::ProjectMemory::new();
        memory.record("الأسد", "PERS", crate::propose::Decision::Accepted, 1);
        let remembered = memory.propose(text);
        assert_eq!(summary(&remembered), vec![(surname, "PERS", "memory")]);
        let model = vec![p(full.clone(), "PERS", "model", 0.9)];
        let out = combine(vec![remembered.clone(), model]);
        assert_eq!(summary(&out), vec![(full.clone(), "PERS", "model")]);
        // A longer proposal that is less likely right than the memory still gives way.
        let out = combine(vec![remembered, vec![p(full, "PERS", "model", 0.4)]]);
        assert_eq!(summary(&out), vec![(11..16, "PERS", "memory")]);
    }

    #[test]
    fn equal_scores_go_to_the_longer_span_then_the_earlier_list() {
        let list = vec![p(4..8, "LOC", "rules", 0.5), p(0..12, "ORG", "rules", 0.5), p(11..15, "PERS", "rules", 0.5), p(20..22, "LOC", "rules", 0.5)];
        assert_eq!(summary(&combine(vec![list])), vec![(0..12, "ORG", "rules"), (20..22, "LOC", "rules")]);
        let out = combine(vec![vec![p(5..10, "LOC", "a", 0.5)], vec![p(5..10, "ORG", "b", 0.5)]]);
        assert_eq!(summary(&out), vec![(5..10, "LOC", "a")]);
    }

    #[test]
    fn touching_spans_both_stay_and_output_is_sorted() {
        let out = combine(vec![vec![p(5..10, "LOC", "a", 0.5)], vec![p(10..12, "PERS", "b", 0.5), p(0..5, "ORG", "b", 0.5)]]);
        assert_eq!(summary(&out), vec![(0..5, "ORG", "b"), (5..10, "LOC", "a"), (10..12, "PERS", "b")]);
    }

    #[test]
    fn a_weaker_span_containing_a_better_one_is_dropped() {
        // The candidate covers the taken span entirely: the check must see it even though the
        // taken span starts after the candidate.
        let out = combine(vec![vec![p(5..7, "LOC", "a", 0.9)], vec![p(0..20, "ORG", "b", 0.5), p(2..6, "PERS", "b", 0.5)]]);
        assert_eq!(summary(&out), vec![(5..7, "LOC", "a")]);
    }

    #[test]
    fn empty_input_and_empty_ranges() {
        assert!(combine(Vec::new()).is_empty());
        assert!(combine(vec![Vec::new(), vec![p(3..3, "LOC", "a", 0.5)]]).is_empty());
    }
}
