package io.steward.ctl;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts by lines, as Python's {@code difflib.unified_diff} prints it
 * (patronictl's {@code edit-config}): three lines of context, deletions before insertions.
 * Quadratic in the number of lines, which is fine for a configuration.
 */
final class LineDiff {

    private static final int CONTEXT = 3;

    private record Op(char kind, String line) {
    }

    private LineDiff() {
    }

    /** The diff lines (headers first); empty when the texts are equal. */
    static List<String> unified(String before, String after, String fromLabel, String toLabel) {
        List<Op> ops = script(before.lines().toList(), after.lines().toList());
        List<Integer> changes = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i).kind() != ' ') {
                changes.add(i);
            }
        }
        List<String> diff = new ArrayList<>();
        if (changes.isEmpty()) {
            return diff;
        }
        diff.add("--- " + fromLabel);
        diff.add("+++ " + toLabel);
        int first = 0;
        for (int k = 1; k <= changes.size(); k++) {
            if (k == changes.size() || changes.get(k) - changes.get(k - 1) > 2 * CONTEXT) {
                hunk(ops, Math.max(0, changes.get(first) - CONTEXT), Math.min(ops.size(), changes.get(k - 1) + CONTEXT + 1),
                        diff);
                first = k;
            }
        }
        return diff;
    }

    private static void hunk(List<Op> ops, int from, int to, List<String> diff) {
        int beforeStart = 0;
        int afterStart = 0;
        for (int i = 0; i < from; i++) {
            beforeStart += ops.get(i).kind() != '+' ? 1 : 0;
            afterStart += ops.get(i).kind() != '-' ? 1 : 0;
        }
        int beforeLength = 0;
        int afterLength = 0;
        for (int i = from; i < to; i++) {
            beforeLength += ops.get(i).kind() != '+' ? 1 : 0;
            afterLength += ops.get(i).kind() != '-' ? 1 : 0;
        }
        diff.add("@@ -" + range(beforeStart, beforeLength) + " +" + range(afterStart, afterLength) + " @@");
        for (int i = from; i < to; i++) {
            diff.add(ops.get(i).kind() + ops.get(i).line());
        }
    }

    /** difflib's {@code _format_range_unified}: 1-based start, length omitted when 1. */
    private static String range(int start, int length) {
        if (length == 1) {
            return Integer.toString(start + 1);
        }
        return (length == 0 ? start : start + 1) + "," + length;
    }

    /** The edit script from a longest common subsequence of lines. */
    private static List<Op> script(List<String> a, List<String> b) {
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<Op> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                ops.add(new Op(' ', a.get(i++)));
                j++;
            } else if (j == b.size() || (i < a.size() && common[i + 1][j] >= common[i][j + 1])) {
                ops.add(new Op('-', a.get(i++)));
            } else {
                ops.add(new Op('+', b.get(j++)));
            }
        }
        return ops;
    }
}
