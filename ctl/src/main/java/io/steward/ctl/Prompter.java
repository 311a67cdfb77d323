package io.steward.ctl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * click's {@code prompt} and {@code confirm}, as patronictl uses them: {@code Question [default]: }
 * and {@code Question? [y/N]: }, read a line at a time from stdin. The end of input aborts the
 * command, as click does.
 */
final class Prompter {

    private final BufferedReader in;
    private final PrintWriter out;

    Prompter(BufferedReader in, PrintWriter out) {
        this.in = in;
        this.out = out;
    }

    /** Asks; an empty answer takes {@code defaultValue} (null: no default, ask again). */
    String prompt(String question, String defaultValue) {
        while (true) {
            out.print(question + (defaultValue == null ? "" : " [" + defaultValue + "]") + ": ");
            out.flush();
            String answer = readLine().strip();
            if (!answer.isEmpty()) {
                return answer;
            }
            if (defaultValue != null) {
                return defaultValue;
            }
        }
    }

    /** Asks a yes/no question; the default is no. */
    boolean confirm(String question) {
        while (true) {
            out.print(question + " [y/N]: ");
            out.flush();
            String answer = readLine().strip().toLowerCase(Locale.ROOT);
            switch (answer) {
                case "y", "yes" -> {
                    return true;
                }
                case "", "n", "no" -> {
                    return false;
                }
                default -> out.println("Error: invalid input");
            }
        }
    }

    private String readLine() {
        try {
            String line = in.readLine();
            if (line == null) {
                out.println();
                throw CtlException.refused("Aborted!");
            }
            return line;
        } catch (IOException e) {
            throw CtlException.refused("Aborted! (" + e.getMessage() + ")");
        }
    }
}
