//! Train/dev/test splits by document, the same for the same seed and documents.
//!
//! The split is made like this, so any other tool can reproduce it: the document ids are sorted
//! by their UTF-8 bytes (so the order of the file system never matters), shuffled by
//! Fisher–Yates from the last position down, position `i` swapping with `j = r % (i + 1)` where
//! `r` is the next output of splitmix64 seeded with the seed (Steele, Lea & Flood 2014, the
//! seeding generator of `java.util.SplittableRandom`; the modulo bias is below 2⁻⁴⁰ for any
//! corpus that fits on a disk); then the first documents of the shuffled order go to train, the
//! next to dev, the rest to test. The part sizes are the percentages of the document count,
//! rounded by largest remainder (ties to the earlier part), so they always add up and each is
//! within one document of its exact share.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// One part of a split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// What a model learns from.
    Train,
    /// What it is tuned on.
    Dev,
    /// What it is scored on.
    Test,
}

impl Part {
    /// The three parts in order.
    pub const ALL: [Part; 3] = [Part::Train, Part::Dev, Part::Test];

    /// `train`, `dev` or `test`: the part's file (or folder) name.
    pub fn name(self) -> &'static str {
        match self {
            Part::Train => "train",
            Part::Dev => "dev",
            Part::Test => "test",
        }
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Percentages of documents per part, as `--split 80,10,10` gives them (or `80,20`: train and
/// test, no dev part).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SplitSpec {
    /// Percent of documents for training.
    pub train: u32,
    /// Percent for development; `None` when the split has no dev part at all.
    pub dev: Option<u32>,
    /// Percent for testing.
    pub test: u32,
}

impl SplitSpec {
    /// The parts this split writes: train and test, and dev when it was given.
    pub fn parts(&self) -> Vec<Part> {
        Part::ALL.into_iter().filter(|p| *p != Part::Dev || self.dev.is_some()).collect()
    }

    /// Documents per part (train, dev, test) for `n` documents.
    pub fn sizes(&self, n: usize) -> [usize; 3] {
        let percents = [self.train, self.dev.unwrap_or(0), self.test].map(|p| p as usize);
        // Exact shares are n * p / 100; floors first, then the leftover documents go to the
        // parts with the largest remainders.
        let mut sizes = percents.map(|p| n * p / 100);
        let mut order = [0, 1, 2];
        order.sort_by_key(|&i| std::cmp::Reverse(n * percents[i] % 100));
        let left = n - sizes.iter().sum::<usize>();
        for &i in order.iter().take(left) {
            sizes[i] += 1;
        }
        sizes
    }
}

impl FromStr for SplitSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let numbers: Vec<u32> = s
            .split(',')
            .map(|n| n.trim().parse::<u32>())
            .collect::<Result<_, _>>()
            .map_err(|_| format!("expected whole percentages like 80,10,10 or 80,20, found {s:?}"))?;
        let spec = match numbers[..] {
            [train, test] => SplitSpec { train, dev: None, test },
            [train, dev, test] => SplitSpec { train, dev: Some(dev), test },
            _ => {
                return Err(format!("expected two or three percentages (train,dev,test or train,test), found {s:?}"));
            }
        };
        let sum: u32 = numbers.iter().sum();
        if sum != 100 {
            return Err(format!("the percentages {s:?} add up to {sum}, not 100"));
        }
        Ok(spec)
    }
}

impl fmt::Display for SplitSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.dev {
            Some(dev) => write!(f, "{},{dev},{}", self.train, self.test),
            None => write!(f, "{},{}", self.train, self.test),
        }
    }
}

/// splitmix64: a 64-bit state advanced by a fixed odd constant and mixed; small, fast, and
/// published with reference values, so the shuffle can be reproduced exactly elsewhere.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// The part of each document id, for `spec` and `seed` (see the module doc for the method).
pub fn assign<S: AsRef<str>>(ids: &[S], spec: &SplitSpec, seed: u64) -> BTreeMap<String, Part> {
    let mut order: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
    order.sort_unstable();
    order.dedup();
    let mut rng = SplitMix64::new(seed);
    for i in (1..order.len()).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    let [train, dev, _] = spec.sizes(order.len());
    order
        .into_iter()
        .enumerate()
        .map(|(k, id)| {
            let part = if k < train {
                Part::Train
            } else if k < train + dev {
                Part::Dev
            } else {
                Part::Test
            };
            (id.to_owned(), part)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("corpus/{i:04}.txt")).collect()
    }

    #[test]
    fn splitmix64_gives_the_published_values() {
        // Reference outputs for seed 1234567 (from the C reference implementation by Vigna).
        let mut rng = SplitMix64::new(1_234_567);
        let got: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(got, [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423]);
    }

    #[test]
    fn specs_parse_and_must_add_up() {
        let spec: SplitSpec = "80,10,10".parse().expect("valid");
        assert_eq!(spec, SplitSpec { train: 80, dev: Some(10), test: 10 });
        assert_eq!(spec.parts(), Part::ALL);
        let two: SplitSpec = "70, 30".parse().expect("valid");
        assert_eq!(two.parts(), [Part::Train, Part::Test]);
        assert_eq!(two.to_string(), "70,30");
        for bad in ["80,10", "100", "50,25,25,0", "80,ten,10", "-10,60,50", ""] {
            assert!(bad.parse::<SplitSpec>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn sizes_add_up_and_stay_within_one_of_the_exact_share() {
        let spec: SplitSpec = "80,10,10".parse().expect("valid");
        for n in 0..200 {
            let sizes = spec.sizes(n);
            assert_eq!(sizes.iter().sum::<usize>(), n);
            for (size, percent) in sizes.iter().zip([80.0, 10.0, 10.0]) {
                let exact = n as f64 * percent / 100.0;
                assert!((*size as f64 - exact).abs() < 1.0, "n={n}: {sizes:?}");
            }
        }
        assert_eq!(spec.sizes(10), [8, 1, 1]);
        assert_eq!("34,33,33".parse::<SplitSpec>().expect("valid").sizes(2), [1, 1, 0]);
    }

    #[test]
    fn the_same_seed_and_documents_give_the_same_split_whatever_their_order() {
        let spec: SplitSpec = "80,10,10".parse().expect("valid");
        let forward = ids(57);
        let mut backward = forward.clone();
        backward.reverse();
        let a = assign(&forward, &spec, 7);
        assert_eq!(a, assign(&backward, &spec, 7));
        assert_ne!(a, assign(&forward, &spec, 8), "another seed, another split");
        // Every document is in exactly one part, and the parts have their sizes.
        assert_eq!(a.len(), 57);
        let count = |part| a.values().filter(|p| **p == part).count();
        assert_eq!([count(Part::Train), count(Part::Dev), count(Part::Test)], spec.sizes(57));
        // The shuffle really shuffles: train is not simply the first ids.
        let first: Vec<&String> = a.keys().take(45).collect();
        assert!(first.iter().any(|id| a[*id] != Part::Train));
    }
}
