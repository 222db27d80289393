//! Compact stable sorting.
//!
//! core's slice sorts are fast but each element type and comparator gets
//! its own ~5 KB copy of the algorithm. Code that is not a hot loop sorts
//! through here instead: one non-generic merge sort orders an index
//! permutation through a `dyn` comparator, and a tiny generic step moves
//! the elements into place by following the permutation's cycles.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut perm = {
        let s: &[T] = v;
        permutation(s.len(), &mut |a, b| match (s.get(a), s.get(b)) {
            (Some(x), Some(y)) => cmp(x, y),
            _ => Ordering::Equal,
        })
    };
    apply(v, &mut perm);
}

/// Sorts `v` stably by the key `f` gives each element.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut f: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| f(a).cmp(&f(b)));
}

/// Sorts `v` stably in ascending order.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Moves `v[perm[i]]` to position `i` for every `i`, in place. `perm`
/// must be a permutation of `0..v.len()`; it is consumed.
fn apply<T>(v: &mut [T], perm: &mut [usize]) {
    for i in 0..perm.len() {
        let mut j = i;
        while let Some(p) = perm.get_mut(j) {
            let k = *p;
            *p = j;
            if k == i || k >= v.len() {
                break;
            }
            v.swap(j, k);
            j = k;
        }
    }
}

/// Sorted order of `0..n` under `cmp` (stable): the returned vector lists
/// the indices so that `cmp` never says a later one is Less than an
/// earlier one, equal indices keeping their relative order.
#[inline(never)]
pub fn permutation(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    const RUN: usize = 12;
    let mut a: Vec<usize> = (0..n).collect();
    // Insertion-sort short runs.
    for run in a.chunks_mut(RUN) {
        for i in 1..run.len() {
            let mut j = i;
            while j > 0 && cmp(run[j - 1], run[j]) == Ordering::Greater {
                run.swap(j - 1, j);
                j -= 1;
            }
        }
    }
    if n <= RUN {
        return a;
    }
    // Merge runs of doubling width, back and forth between a and b.
    let mut b = vec![0usize; n];
    let mut w = RUN;
    while w < n {
        for (src, dst) in a.chunks(2 * w).zip(b.chunks_mut(2 * w)) {
            let (l, r) = src.split_at(w.min(src.len()));
            merge(l, r, dst, cmp);
        }
        std::mem::swap(&mut a, &mut b);
        w *= 2;
    }
    a
}

/// Merges the sorted `l` and `r` into `dst` (of their total length),
/// taking from `l` on ties.
fn merge(
    l: &[usize],
    r: &[usize],
    dst: &mut [usize],
    cmp: &mut dyn FnMut(usize, usize) -> Ordering,
) {
    if let (Some(&x), Some(&y)) = (l.last(), r.first())
        && cmp(x, y) != Ordering::Greater
    {
        // Already in order (common for presorted input).
        let (dl, dr) = dst.split_at_mut(l.len());
        dl.copy_from_slice(l);
        dr.copy_from_slice(r);
        return;
    }
    if let (Some(&x), Some(&y)) = (l.first(), r.last())
        && cmp(y, x) == Ordering::Less
    {
        // Wholly reversed (common for reverse-sorted input): still stable,
        // as every element of `r` is strictly less.
        let (dl, dr) = dst.split_at_mut(r.len());
        dl.copy_from_slice(r);
        dr.copy_from_slice(l);
        return;
    }
    let (mut i, mut j) = (0, 0);
    for d in dst.iter_mut() {
        *d = match (l.get(i), r.get(j)) {
            (Some(&x), Some(&y)) => {
                if cmp(x, y) == Ordering::Greater {
                    j += 1;
                    y
                } else {
                    i += 1;
                    x
                }
            }
            (Some(&x), None) => {
                i += 1;
                x
            }
            (None, Some(&y)) => {
                j += 1;
                y
            }
            (None, None) => break,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rng(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    #[test]
    fn small() {
        let mut e: Vec<u8> = vec![];
        sort(&mut e);
        assert!(e.is_empty());
        let mut one = vec![5];
        sort(&mut one);
        assert_eq!(one, [5]);
        let mut two = vec![2, 1];
        sort(&mut two);
        assert_eq!(two, [1, 2]);
        let mut two = vec![1, 2];
        sort(&mut two);
        assert_eq!(two, [1, 2]);
        let mut s = vec!["b".to_string(), "c".into(), "a".into()];
        sort(&mut s);
        assert_eq!(s, ["a", "b", "c"]);
    }

    #[test]
    fn stable() {
        for n in [3usize, 11, 12, 13, 25, 100, 1000, 4097] {
            let mut seed = 0x9e37_79b9_7f4a_7c15 ^ n as u64;
            let mut v: Vec<(u64, usize)> = (0..n).map(|i| (rng(&mut seed) % 4, i)).collect();
            sort_by_key(&mut v, |p| p.0);
            for w in v.windows(2) {
                assert!(w[0].0 < w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1));
            }
            // Reverse comparator, many equal keys: still stable.
            sort_by(&mut v, |a, b| b.0.cmp(&a.0));
            for w in v.windows(2) {
                assert!(w[0].0 > w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1));
            }
        }
        let mut eq: Vec<(u8, usize)> = (0..500).map(|i| (7, i)).collect();
        sort_by_key(&mut eq, |p| p.0);
        assert!(eq.iter().enumerate().all(|(i, p)| p.1 == i));
    }

    #[test]
    fn random() {
        let mut seed = 12345u64;
        let v: Vec<u64> = (0..100_000).map(|_| rng(&mut seed) % 50_000).collect();
        let mut a = v.clone();
        let mut b = v.clone();
        sort(&mut a);
        b.sort();
        assert_eq!(a, b);
        let p = permutation(v.len(), &mut |x, y| v[x].cmp(&v[y]));
        let mut seen = vec![false; v.len()];
        for &i in &p {
            assert!(!seen[i]);
            seen[i] = true;
        }
        assert!(
            p.windows(2)
                .all(|w| v[w[0]] < v[w[1]] || (v[w[0]] == v[w[1]] && w[0] < w[1]))
        );
        let mut sorted: Vec<u64> = (0..1000).collect();
        sort(&mut sorted);
        assert!(sorted.iter().enumerate().all(|(i, &x)| x == i as u64));
        let mut rev: Vec<u64> = (0..1000).rev().collect();
        sort(&mut rev);
        assert_eq!(rev, sorted);
    }
}
