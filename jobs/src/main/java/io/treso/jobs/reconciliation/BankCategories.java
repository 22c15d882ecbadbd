package io.treso.jobs.reconciliation;

import io.treso.event.ControlCommand;
import java.io.Serializable;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.flink.util.Preconditions;

/**
 * A BANK_CATEGORY control command (scope: an account, or {@code *}): an ordered list of rules that
 * give a bank line its category from its counterparty, reference and sign. The account's rules are
 * tried first, then those for {@code *}, then Treso's defaults (French, English and German
 * wordings), unless a command in force says {@code defaults=false}. Effective-dated; a malformed
 * command is dead-lettered at the door.
 *
 * <p>Params: {@code rule.N} (N orders them) = {@code category=LOAN;pattern=PRET|LOAN;in=any;
 * sign=credit}, where {@code pattern} is a case- and accent-insensitive regular expression matched
 * on words of the counterparty, the reference or either ({@code in}), and {@code sign} is {@code
 * credit}, {@code debit} or {@code any}.
 */
public final class BankCategories implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String KIND = "BANK_CATEGORY";

    public static final Set<String> CATEGORIES =
            Set.of(
                    "PSP_PAYOUT",
                    "CUSTOMER_RECEIPT",
                    "SUPPLIER",
                    "PAYROLL",
                    "TAX",
                    "RENT",
                    "LOAN",
                    "CAPITAL",
                    "BANK_FEES",
                    "INTERNAL_TRANSFER",
                    "REFUND",
                    "OTHER");

    /** Money that may settle a payout or an invoice: its category explains nothing by itself. */
    private static final Set<String> TO_MATCH = Set.of("PSP_PAYOUT", "CUSTOMER_RECEIPT");

    /** A category and the rule that gave it. */
    public record Categorised(String category, String rule) {
        /** Whether the category alone explains the line (no payout or invoice to find). */
        public boolean explains() {
            return !TO_MATCH.contains(category);
        }
    }

    /** One rule of the ordered list. */
    public static final class Rule implements Serializable {
        private static final long serialVersionUID = 1L;

        public String name;
        public String category;
        public String pattern;
        public String in = "any";
        public int sign;

        private transient Pattern compiled;

        public Rule() {}

        static Rule of(String name, String category, String pattern, String in, int sign) {
            Rule r = new Rule();
            r.name = name;
            r.category = category;
            r.pattern = pattern;
            r.in = in;
            r.sign = sign;
            r.compiled(); // refuses a bad pattern at the door
            return r;
        }

        private Pattern compiled() {
            if (compiled == null) {
                try {
                    compiled =
                            Pattern.compile("\\b(?:" + pattern + ")\\b", Pattern.CASE_INSENSITIVE);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(
                            "BANK_CATEGORY " + name + ": bad pattern: " + e.getDescription());
                }
            }
            return compiled;
        }

        boolean matches(String counterparty, String reference, long amountMinor) {
            if (sign > 0 && amountMinor <= 0 || sign < 0 && amountMinor >= 0) return false;
            boolean who = !in.equals("reference") && found(counterparty);
            return who || (!in.equals("counterparty") && found(reference));
        }

        private boolean found(String text) {
            return text != null && compiled().matcher(plain(text)).find();
        }
    }

    /** Treso's defaults, tried after the configured rules. */
    public static final List<Rule> DEFAULTS =
            List.of(
                    Rule.of(
                            "default-psp",
                            "PSP_PAYOUT",
                            "STRIPE|PAYPAL|SHOPIFY|ADYEN|AMAZON|MOLLIE|SUMUP|KLARNA|BRAINTREE",
                            "counterparty",
                            1),
                    Rule.of(
                            "default-tax",
                            "TAX",
                            "URSSAF|DGFIP|TVA|IMPOTS?|TRESOR PUBLIC|HMRC|VAT|FINANZAMT|\\w*STEUER\\w*",
                            "any",
                            0),
                    Rule.of(
                            "default-payroll",
                            "PAYROLL",
                            "SALAIRES?|PAIE|PAYROLL|SALARY|SALARIES|WAGES?|GEHA(?:E)?LT(?:ER)?|LOHN\\w*",
                            "any",
                            0),
                    Rule.of("default-rent", "RENT", "LOYERS?|RENT|\\w*MIETE", "any", 0),
                    Rule.of(
                            "default-loan",
                            "LOAN",
                            "PRET|EMPRUNT|LOAN|\\w*DARLEHEN\\w*|KREDIT\\w*|ECHEANCE",
                            "any",
                            0),
                    Rule.of(
                            "default-capital",
                            "CAPITAL",
                            "APPORT|AUGMENTATION DE CAPITAL|CAPITAL INCREASE|CAPITAL|EINLAGE|STAMMKAPITAL",
                            "any",
                            0),
                    Rule.of(
                            "default-bank-fees",
                            "BANK_FEES",
                            "FRAIS|FEES?|COMMISSIONS?|\\w*GEBU(?:E)?HR\\w*|KONTOFU(?:E)?HRUNG\\w*",
                            "any",
                            0),
                    Rule.of(
                            "default-internal-transfer",
                            "INTERNAL_TRANSFER",
                            "VIREMENT INTERNE|INTERNAL TRANSFER|TREASURY SWEEP|SWEEP|UMBUCHUNG",
                            "any",
                            0),
                    Rule.of(
                            "default-refund",
                            "REFUND",
                            "REMBOURSEMENT|REFUND|ERSTATTUNG|RUECKERSTATTUNG",
                            "any",
                            0));

    public String eventId;
    public String scope;
    public long effectiveAt;
    public long version;
    public boolean defaults = true;
    public List<Rule> rules = new ArrayList<>();

    public BankCategories() {}

    /** The rules a BANK_CATEGORY command carries, or empty for other kinds. A bad one throws. */
    public static Optional<BankCategories> of(ControlCommand c) {
        if (!KIND.equals(c.getKind())) return Optional.empty();
        BankCategories b = new BankCategories();
        b.eventId = c.getEventId();
        b.scope = c.getScope();
        b.effectiveAt = c.getEffectiveAt().toEpochMilli();
        b.version = c.getVersion();
        Map<Integer, Rule> ordered = new TreeMap<>();
        for (Map.Entry<String, String> p : c.getParams().entrySet()) {
            String key = p.getKey();
            if (key.equals("defaults")) {
                Preconditions.checkArgument(
                        p.getValue().equals("true") || p.getValue().equals("false"),
                        "BANK_CATEGORY defaults is true or false");
                b.defaults = Boolean.parseBoolean(p.getValue());
            } else if (key.startsWith("rule.")) {
                int n;
                try {
                    n = Integer.parseInt(key.substring(5));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "BANK_CATEGORY " + key + ": rule.N, N a number");
                }
                ordered.put(n, rule(b.scope + ":" + key, p.getValue()));
            } else {
                throw new IllegalArgumentException("BANK_CATEGORY: unknown param " + key);
            }
        }
        b.rules.addAll(ordered.values());
        return Optional.of(b);
    }

    private static Rule rule(String name, String text) {
        Map<String, String> f = new TreeMap<>();
        for (String part : text.split(";")) {
            int eq = part.indexOf('=');
            Preconditions.checkArgument(
                    eq > 0, "BANK_CATEGORY %s: key=value pairs separated by ;", name);
            f.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        String category = f.getOrDefault("category", "");
        Preconditions.checkArgument(
                CATEGORIES.contains(category),
                "BANK_CATEGORY %s: category is one of %s",
                name,
                new TreeSet<>(CATEGORIES));
        String pattern = f.get("pattern");
        Preconditions.checkArgument(
                pattern != null && !pattern.isBlank(),
                "BANK_CATEGORY %s: a pattern is required",
                name);
        String in = f.getOrDefault("in", "any");
        Preconditions.checkArgument(
                Set.of("any", "counterparty", "reference").contains(in),
                "BANK_CATEGORY %s: in is any, counterparty or reference",
                name);
        String sign = f.getOrDefault("sign", "any");
        Preconditions.checkArgument(
                Set.of("any", "credit", "debit").contains(sign),
                "BANK_CATEGORY %s: sign is any, credit or debit",
                name);
        return Rule.of(
                name,
                category,
                plain(pattern),
                in,
                sign.equals("credit") ? 1 : sign.equals("debit") ? -1 : 0);
    }

    /** Without accents (patterns match case-insensitively), so PRÊT, Gebühr and pret read alike. */
    static String plain(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    }

    /**
     * The category of a bank line on {@code account} at {@code time}: the first rule that matches,
     * the account's own, then {@code *}'s, then the defaults; null when none does.
     */
    public static Categorised categorise(
            Collection<BankCategories> all,
            String account,
            long time,
            String counterparty,
            String reference,
            long amountMinor) {
        BankCategories own = inForce(all, account, time), any = inForce(all, "*", time);
        boolean defaults = (own == null || own.defaults) && (any == null || any.defaults);
        List<Rule> rules = new ArrayList<>();
        if (own != null) rules.addAll(own.rules);
        if (any != null) rules.addAll(any.rules);
        if (defaults) rules.addAll(DEFAULTS);
        for (Rule r : rules) {
            if (r.matches(counterparty, reference, amountMinor)) {
                return new Categorised(r.category, r.name);
            }
        }
        return null;
    }

    private static BankCategories inForce(Collection<BankCategories> all, String scope, long time) {
        BankCategories best = null;
        for (BankCategories b : all) {
            if (!b.scope.equals(scope) || b.effectiveAt > time) continue;
            if (best == null
                    || b.effectiveAt > best.effectiveAt
                    || (b.effectiveAt == best.effectiveAt && b.version > best.version)) best = b;
        }
        return best;
    }
}
