package io.treso.connectors.camt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One element of a camt message (its own namespace only): name, attributes, text, children. */
final class XmlNode {
    final String name;
    final Map<String, String> attributes = new HashMap<>();
    final List<XmlNode> children = new ArrayList<>();
    final StringBuilder text = new StringBuilder();

    XmlNode(String name) {
        this.name = name;
    }

    /** The first descendant along {@code path}, or null. */
    XmlNode at(String... path) {
        XmlNode node = this;
        for (String step : path) {
            XmlNode next = null;
            for (XmlNode c : node.children) {
                if (c.name.equals(step)) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            node = next;
        }
        return node;
    }

    /** The trimmed text along {@code path}, or null when absent or blank. */
    String text(String... path) {
        XmlNode n = at(path);
        if (n == null) {
            return null;
        }
        String t = n.text.toString().trim();
        return t.isEmpty() ? null : t;
    }

    List<XmlNode> all(String name) {
        List<XmlNode> out = new ArrayList<>();
        for (XmlNode c : children) {
            if (c.name.equals(name)) out.add(c);
        }
        return out;
    }
}
