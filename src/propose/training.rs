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
