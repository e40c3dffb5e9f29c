//! An icicle (a flame graph drawn from the top down) of a call tree: where
//! each frame is drawn, as fractions of the view, zoomed on one node or
//! not, and which frames a search matches. Frames too narrow to see are
//! left out (with their callees) and at most `limits::MAX_FLAME_FRAMES`
//! are laid out, shallow levels first: a tree of any size draws quickly.

use crate::call_tree::CallTree;
use crate::limits::{FLAME_MIN_WIDTH, MAX_FLAME_FRAMES};

/// One frame to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct IcicleFrame {
    /// Index into `CallTree::nodes`.
    pub node: usize,
    /// Row, 0 at the top.
    pub depth: u32,
    /// Left edge and width, fractions of the view's width.
    pub start: f64,
    pub width: f64,
    /// The node's inclusive time over the whole run's, 0 to 1.
    pub share: f64,
    /// An ancestor of the zoomed node, drawn full width above it.
    pub above_zoom: bool,
}

/// The frames to draw and what was left out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IcicleLayout {
    pub frames: Vec<IcicleFrame>,
    /// Rows drawn.
    pub depth: u32,
    /// Nodes with some time not drawn: too narrow, or past the bound.
    pub hidden: usize,
}

/// Each node's children, heaviest first.
fn children(tree: &CallTree) -> Vec<Vec<usize>> {
    let mut kids = vec![Vec::new(); tree.nodes.len()];
    for (i, node) in tree.nodes.iter().enumerate() {
        if let Some(p) = node.parent {
            kids[p as usize].push(i);
        }
    }
    for list in &mut kids {
        list.sort_by(|&a, &b| {
            tree.nodes[b]
                .inclusive
                .total_cmp(&tree.nodes[a].inclusive)
                .then(a.cmp(&b))
        });
    }
    kids
}

/// The tree laid out with `zoom` (a node index) filling the width, or the
/// whole run when `None` or out of range.
pub fn layout(tree: &CallTree, zoom: Option<usize>) -> IcicleLayout {
    let total = tree.total();
    let mut out = IcicleLayout::default();
    if tree.nodes.is_empty() || total <= 0.0 {
        return out;
    }
    let share = |node: usize| (tree.nodes[node].inclusive / total).clamp(0.0, 1.0);
    let kids = children(tree);
    let zoom = zoom.filter(|&z| z < tree.nodes.len());
    // The level to lay out next: (node, left edge), with the time that
    // fills the view's width.
    let (mut level, scale): (Vec<(usize, f64)>, f64) = match zoom {
        Some(z) => {
            let path = tree.path(z);
            for (depth, &node) in path[..path.len() - 1].iter().enumerate() {
                out.frames.push(IcicleFrame {
                    node,
                    depth: depth as u32,
                    start: 0.0,
                    width: 1.0,
                    share: share(node),
                    above_zoom: true,
                });
            }
            (vec![(z, 0.0)], tree.nodes[z].inclusive)
        }
        None => {
            let mut tops: Vec<usize> = (0..tree.nodes.len())
                .filter(|&i| tree.nodes[i].parent.is_none())
                .collect();
            tops.sort_by(|&a, &b| tree.nodes[b].inclusive.total_cmp(&tree.nodes[a].inclusive));
            let mut left = 0.0;
            let level = tops
                .into_iter()
                .map(|n| {
                    let at = (n, left);
                    left += tree.nodes[n].inclusive / total;
                    at
                })
                .collect();
            (level, total)
        }
    };
    if scale <= 0.0 {
        return out;
    }
    let mut depth = out.frames.len() as u32;
    while !level.is_empty() {
        let mut next = Vec::new();
        for (node, start) in level {
            let width = tree.nodes[node].inclusive / scale;
            if width < FLAME_MIN_WIDTH || out.frames.len() >= MAX_FLAME_FRAMES {
                out.hidden += 1;
                continue;
            }
            out.frames.push(IcicleFrame {
                node,
                depth,
                start,
                width: width.min(1.0),
                share: share(node),
                above_zoom: false,
            });
            let mut left = start;
            for &kid in &kids[node] {
                next.push((kid, left));
                left += tree.nodes[kid].inclusive / scale;
            }
        }
        level = next;
        depth += 1;
    }
    out.depth = out.frames.iter().map(|f| f.depth + 1).max().unwrap_or(0);
    out
}

/// Which nodes' function names contain `query` (case-insensitive), and the
/// share of the run's time spent under them (a match inside another
/// match counted once). An empty query matches nothing.
pub fn search(tree: &CallTree, query: &str) -> (Vec<bool>, f64) {
    let query = query.trim().to_lowercase();
    let mut matched = vec![false; tree.nodes.len()];
    if query.is_empty() {
        return (matched, 0.0);
    }
    let mut under_match = vec![false; tree.nodes.len()];
    let mut seconds = 0.0;
    // Parents come before their children, so one pass sees each
    // ancestor's state first.
    for (i, node) in tree.nodes.iter().enumerate() {
        let hit = tree
            .frame_of(node)
            .name
            .to_lowercase()
            .contains(query.as_str());
        let inherited = node.parent.is_some_and(|p| under_match[p as usize]);
        if hit && !inherited {
            seconds += node.inclusive;
        }
        matched[i] = hit;
        under_match[i] = hit || inherited;
    }
    let total = tree.total();
    let share = if total > 0.0 {
        (seconds / total).min(1.0)
    } else {
        0.0
    };
    (matched, share)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call_tree::{CallNode, Frame};

    fn node(frame: u32, parent: Option<u32>, inclusive: f64) -> CallNode {
        CallNode {
            frame,
            parent,
            calls: 1,
            inclusive,
            own: 0.0,
        }
    }

    /// main (10s) → work (6s) → helper (1s); main → other (3s)
    fn tree() -> CallTree {
        CallTree {
            frames: vec![
                Frame::new("main", "p", 1),
                Frame::new("other", "p", 5),
                Frame::new("work", "p", 9),
                Frame::new("helper", "p", 12),
            ],
            nodes: vec![
                node(0, None, 10.0),
                node(1, Some(0), 3.0),
                node(2, Some(0), 6.0),
                node(3, Some(2), 1.0),
            ],
            folded_calls: 0,
        }
    }

    #[test]
    fn frames_sit_under_their_caller_heaviest_first() {
        let layout = layout(&tree(), None);
        assert_eq!(layout.depth, 3);
        let at = |n: usize| layout.frames.iter().find(|f| f.node == n).unwrap();
        assert_eq!((at(0).start, at(0).width, at(0).depth), (0.0, 1.0, 0));
        // work (6s) comes before other (3s) though called later.
        assert_eq!((at(2).start, at(2).width), (0.0, 0.6));
        assert_eq!((at(1).start, at(1).width), (0.6, 0.3));
        assert_eq!((at(3).start, at(3).depth), (0.0, 2));
        assert!((at(3).share - 0.1).abs() < 1e-12);
        assert_eq!(layout.hidden, 0);
    }

    #[test]
    fn a_zoomed_node_fills_the_width_under_its_callers() {
        let zoomed = layout(&tree(), Some(2));
        let at = |n: usize| zoomed.frames.iter().find(|f| f.node == n).unwrap();
        assert!(at(0).above_zoom);
        assert_eq!(at(0).width, 1.0);
        assert_eq!(
            (at(2).depth, at(2).width, at(2).above_zoom),
            (1, 1.0, false)
        );
        assert!((at(3).width - 1.0 / 6.0).abs() < 1e-12);
        // Its share stays the share of the whole run.
        assert!((at(2).share - 0.6).abs() < 1e-12);
        assert!(
            zoomed.frames.iter().all(|f| f.node != 1),
            "a sibling is out of view"
        );
        assert_eq!(
            layout(&tree(), Some(99)).frames.len(),
            4,
            "a stale zoom shows all"
        );
    }

    #[test]
    fn narrow_frames_and_frames_past_the_bound_are_counted_not_drawn() {
        let mut wide = tree();
        wide.nodes
            .push(node(3, Some(0), 10.0 * FLAME_MIN_WIDTH / 2.0));
        assert_eq!(layout(&wide, None).hidden, 1);
        // A flat tree of far more calls than the bound.
        let mut flat = CallTree {
            frames: vec![Frame::new("main", "p", 1), Frame::new("f", "p", 2)],
            nodes: vec![node(0, None, 1.0)],
            folded_calls: 0,
        };
        let count = MAX_FLAME_FRAMES * 2;
        for _ in 0..count {
            flat.nodes.push(node(1, Some(0), 1.0 / count as f64));
        }
        // Each is too narrow to see at the top…
        let top = layout(&flat, None);
        assert_eq!(top.frames.len(), 1);
        assert_eq!(top.hidden, count);
        // …and wide enough once zoomed on one: still drawn alone.
        let zoomed = layout(&flat, Some(5));
        assert_eq!(zoomed.frames.len(), 2);
        assert!(zoomed.frames.len() <= MAX_FLAME_FRAMES);
    }

    #[test]
    fn the_bound_holds_on_a_tree_of_wide_frames() {
        // A chain deeper than the bound: every frame full width.
        let depth = MAX_FLAME_FRAMES + 10;
        let chain = CallTree {
            frames: vec![Frame::new("f", "p", 1)],
            nodes: (0..depth)
                .map(|i| node(0, i.checked_sub(1).map(|p| p as u32), 1.0))
                .collect(),
            folded_calls: 0,
        };
        let layout = layout(&chain, None);
        assert_eq!(layout.frames.len(), MAX_FLAME_FRAMES);
        assert_eq!(
            layout.hidden, 1,
            "the first frame past the bound ends its branch"
        );
    }

    #[test]
    fn search_marks_matches_and_counts_nested_time_once() {
        let tree = tree();
        let (matched, share) = search(&tree, "WORK");
        assert_eq!(matched, [false, false, true, false]);
        assert!((share - 0.6).abs() < 1e-12);
        // "er" is in other and helper, neither under the other.
        let (matched, share) = search(&tree, "er");
        assert_eq!(matched, [false, true, false, true]);
        assert!((share - 0.4).abs() < 1e-12);
        // main matches "ma", and nothing under it adds to its share.
        let mut nested = tree.clone();
        nested.frames[2].name = "main2".into();
        let (_, share) = search(&nested, "ma");
        assert!((share - 1.0).abs() < 1e-12);
        assert_eq!(search(&tree, "  ").1, 0.0);
    }
}
