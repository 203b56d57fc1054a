//! What proposers learn from annotated sentences.

use crate::arabic::Lexicon;
use crate::model::LabelledSentence;

/// A lexicon of the sentences' tokens: each counted once per occurrence, and once more as a name
/// when it is inside an entity.
///
/// Proposers measured on held-out data weigh words with this rather than the bundled lexicon,
/// which was built from all of ANERcorp's training part and so has seen the held-out sentences.
pub fn training_lexicon(sentences: &[LabelledSentence]) -> Lexicon {
    let mut lexicon = Lexicon::new();
    for sentence in sentences {
        let mut inside = vec![false; sentence.tokens.len()];
        for (range, _) in &sentence.entities {
            inside[range.clone()].iter_mut().for_each(|b| *b = true);
        }
        for (token, inside) in sentence.tokens.iter().zip(inside) {
            lexicon.add(token, 1, u32::from(inside));
        }
    }
    lexicon
}

/// The gazetteer's and the bundled rules' proposals for each sentence (its text as
/// [`LabelledSentence::text`] makes it), from lists learnt on the other `folds - 1` parts only:
/// features for a model that is trained on the same sentences the lists come from, so that it
/// learns how far to trust them on names they have not seen.
pub fn out_of_fold_proposals(sentences: &[LabelledSentence], folds: usize) -> Vec<Vec<super::Proposal>> {
    use rayon::prelude::*;
    let folds = folds.max(2);
    let fold_of = |i: usize| i * folds / sentences.len().max(1);
    let per_fold: Vec<Vec<(usize, Vec<super::Proposal>)>> = (0..folds)
        .into_par_iter()
        .map(|fold| {
            let rest: Vec<LabelledSentence> = sentences.iter().enumerate().filter(|(i, _)| fold_of(*i) != fold).map(|(_, s)| s.clone()).collect();
            let gazetteer = super::Gazetteer::from_sentences(&rest);
            let rules = super::RuleSet::arabic_news().with_lexicon(std::sync::Arc::new(training_lexicon(&rest)));
            sentences
                .iter()
                .enumerate()
                .filter(|(i, _)| fold_of(*i) == fold)
                .map(|(i, s)| {
                    let text = s.text().0;
                    let mut proposals = gazetteer.propose(&text);
                    proposals.extend(rules.propose(&text));
                    (i, proposals)
                })
                .collect()
        })
        .collect();
    let mut out = vec![Vec::new(); sentences.len()];
    for (i, proposals) in per_fold.into_iter().flatten() {
        out[i] = proposals;
    }
    out
}
