package io.anomalog.ml.deeplog.workflow;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Draws a workflow: states in columns by their distance from the start (start on the left, end on the right),
 * an arrow per transition with its count, and, for a diagnosis, the last normal state in orange, the transitions
 * the workflow expected from it in green and the unexpected one in red (dashed, with its key drawn in red when the
 * workflow does not have it). The same picture as SVG or PNG.
 */
public final class WorkflowPicture {

    private static final int W = 170;
    private static final int H = 44;
    private static final int GAP_X = 90;
    private static final int GAP_Y = 30;
    private static final int MARGIN = 30;
    private static final String START = "S";
    private static final String END = "E";

    private record Node(String id, String label, String detail, double x, double y, String role) {
    }

    private record Arrow(Node from, Node to, String label, String role) {
    }

    private final List<Node> nodes = new ArrayList<>();
    private final List<Arrow> arrows = new ArrayList<>();
    private final String title;
    private final double width;
    private final double height;

    private WorkflowPicture(Workflow w, Diagnosis d, Map<Integer, String> templates, String title) {
        this.title = title;
        Map<String, Integer> column = new LinkedHashMap<>();
        column.put(START, 0);
        java.util.LinkedList<Integer> queue = new java.util.LinkedList<>(); // holds null, the start
        queue.add(null);
        Map<Integer, Boolean> done = new HashMap<>();
        int maxCol = 0;
        while (!queue.isEmpty()) {
            Integer s = queue.poll();
            int c = column.get(id(s, true));
            for (Integer t : w.next(s)) {
                if (t != null && !column.containsKey(id(t, false))) {
                    column.put(id(t, false), c + 1);
                    maxCol = Math.max(maxCol, c + 1);
                    queue.add(t);
                }
            }
            done.put(s, true);
        }
        for (Integer k : w.keys()) {
            column.putIfAbsent(String.valueOf(k), ++maxCol); // not reachable from the start
        }
        boolean strange = d != null && d.unexpected() != null && !w.contains(d.unexpected());
        if (strange) {
            column.put(String.valueOf(d.unexpected()), column.getOrDefault(id(d.lastNormalState(), true), 0) + 1);
        }
        int endCol = column.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        column.put(END, endCol);
        Map<Integer, Integer> rows = new HashMap<>();
        Map<String, Node> byId = new HashMap<>();
        int maxRows = 0;
        for (Map.Entry<String, Integer> e : column.entrySet()) {
            int row = rows.merge(e.getValue(), 1, Integer::sum) - 1;
            maxRows = Math.max(maxRows, row + 1);
            String id = e.getKey();
            String role = "state";
            if (d != null && id.equals(id(d.lastNormalState(), true))) {
                role = "last";
            }
            if (strange && id.equals(String.valueOf(d.unexpected()))) {
                role = "unexpected";
            }
            String label = id.equals(START) ? "start" : id.equals(END) ? "end" : "key " + id;
            String detail = id.equals(START) || id.equals(END) ? "" : shorten(templates.get(Integer.valueOf(id)));
            Node n = new Node(id, label, detail, MARGIN + e.getValue() * (W + GAP_X),
                    MARGIN + 30 + row * (H + GAP_Y), role);
            nodes.add(n);
            byId.put(id, n);
        }
        for (Workflow.Edge e : w.edges()) {
            String role = "edge";
            if (d != null && Objects.equals(e.from(), d.lastNormalState()) && d.expectedNext().contains(e.to())) {
                role = "expected";
            }
            arrows.add(new Arrow(byId.get(id(e.from(), true)), byId.get(id(e.to(), false)),
                    String.format(Locale.ROOT, "%,d", e.count()), role));
        }
        if (d != null) {
            Node from = byId.get(id(d.lastNormalState(), true));
            Node to = byId.get(id(d.unexpected(), false));
            arrows.add(new Arrow(from, to, "unexpected", "unexpected"));
        }
        this.width = MARGIN * 2 + (endCol + 1) * (W + GAP_X) - GAP_X;
        this.height = MARGIN * 2 + 30 + maxRows * (H + GAP_Y);
    }

    /** A picture of the workflow, with the diagnosis highlighted when one is given. */
    public static WorkflowPicture of(Workflow w, Diagnosis d, Map<Integer, String> templates) {
        String title = "workflow " + w.task() + (d == null ? "" : " - " + d.summary());
        return new WorkflowPicture(w, d, templates == null ? Map.of() : templates, title);
    }

    private static String id(Integer state, boolean from) {
        return state == null ? (from ? START : END) : String.valueOf(state);
    }

    private static String shorten(String t) {
        if (t == null) {
            return "";
        }
        return t.length() <= 28 ? t : t.substring(0, 27) + "\u2026";
    }

    private static String colour(String role) {
        return switch (role) {
            case "last" -> "#f5a623";
            case "unexpected" -> "#d0021b";
            case "expected" -> "#2e8b57";
            default -> "#555555";
        };
    }

    private double[] ends(Arrow a) {
        double x1 = a.from().x() + W;
        double y1 = a.from().y() + H / 2.0;
        double x2 = a.to().x();
        double y2 = a.to().y() + H / 2.0;
        if (a.to().x() <= a.from().x()) { // backwards or to itself: leave from the bottom, enter from the bottom
            x1 = a.from().x() + W / 2.0;
            y1 = a.from().y() + H;
            x2 = a.to().x() + W / 2.0 + (a.to() == a.from() ? 20 : 0);
            y2 = a.to().y() + H;
        }
        return new double[]{x1, y1, x2, y2};
    }

    private static double[] control(double[] p, boolean back) {
        if (!back) {
            return new double[]{(p[0] + p[2]) / 2, (p[1] + p[3]) / 2};
        }
        return new double[]{(p[0] + p[2]) / 2, Math.max(p[1], p[3]) + 50};
    }

    /** The picture as an SVG document. */
    public String svg() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                + "font-family=\"sans-serif\" font-size=\"12\">\n", width, height + 60));
        b.append("<defs>");
        for (String role : List.of("edge", "expected", "unexpected")) {
            b.append("<marker id=\"arrow-").append(role).append("\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
                    + "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" "
                    + "fill=\"").append(colour(role)).append("\"/></marker>");
        }
        b.append("</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        b.append("<text x=\"").append(MARGIN).append("\" y=\"").append(MARGIN).append("\" font-size=\"14\">")
                .append(xml(title)).append("</text>\n");
        for (Arrow a : arrows) {
            double[] p = ends(a);
            boolean back = a.to().x() <= a.from().x();
            double[] c = control(p, back);
            b.append(String.format(Locale.ROOT, "<path d=\"M %.1f %.1f Q %.1f %.1f %.1f %.1f\" fill=\"none\" "
                            + "stroke=\"%s\" stroke-width=\"%s\"%s marker-end=\"url(#arrow-%s)\" class=\"%s\"/>\n",
                    p[0], p[1], c[0], c[1], p[2], p[3], colour(a.role()), a.role().equals("edge") ? "1.2" : "2.5",
                    a.role().equals("unexpected") ? " stroke-dasharray=\"6 4\"" : "", a.role(), a.role()));
            double lx = (p[0] + 2 * c[0] + p[2]) / 4;
            double ly = (p[1] + 2 * c[1] + p[3]) / 4 - 4;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\" "
                    + "font-size=\"10\">%s</text>\n", lx, ly, colour(a.role()), xml(a.label())));
        }
        for (Node n : nodes) {
            String fill = n.role().equals("last") ? "#fde3b5" : n.role().equals("unexpected") ? "#f8c9cf" : "#eef2f7";
            String stroke = n.role().equals("state") ? "#4a6fa5" : colour(n.role());
            b.append(String.format(Locale.ROOT, "<g class=\"%s\" id=\"state-%s\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" "
                            + "height=\"%d\" rx=\"8\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"/>", n.role(), n.id(),
                    n.x(), n.y(), W, H, fill, stroke, n.role().equals("state") ? "1.2" : "2.5"));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                    + "font-weight=\"bold\">%s</text>", n.x() + W / 2.0, n.y() + 18, xml(n.label())));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"10\">"
                    + "%s</text></g>\n", n.x() + W / 2.0, n.y() + 34, xml(n.detail())));
        }
        b.append("</svg>\n");
        return b.toString();
    }

    /** The picture as a PNG image. */
    public void png(OutputStream out) throws IOException {
        BufferedImage img = new BufferedImage((int) width, (int) height + 60, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            g.drawString(title, MARGIN, MARGIN);
            for (Arrow a : arrows) {
                double[] p = ends(a);
                boolean back = a.to().x() <= a.from().x();
                double[] c = control(p, back);
                Color col = Color.decode(colour(a.role()));
                g.setColor(col);
                float w = a.role().equals("edge") ? 1.2f : 2.5f;
                g.setStroke(a.role().equals("unexpected")
                        ? new BasicStroke(w, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[]{6, 4}, 0)
                        : new BasicStroke(w));
                Path2D path = new Path2D.Double();
                path.moveTo(p[0], p[1]);
                path.quadTo(c[0], c[1], p[2], p[3]);
                g.draw(path);
                double ang = Math.atan2(p[3] - c[1], p[2] - c[0]);
                Path2D head = new Path2D.Double();
                head.moveTo(p[2], p[3]);
                head.lineTo(p[2] - 9 * Math.cos(ang - 0.4), p[3] - 9 * Math.sin(ang - 0.4));
                head.lineTo(p[2] - 9 * Math.cos(ang + 0.4), p[3] - 9 * Math.sin(ang + 0.4));
                head.closePath();
                g.fill(head);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
                String label = a.label();
                double lx = (p[0] + 2 * c[0] + p[2]) / 4;
                double ly = (p[1] + 2 * c[1] + p[3]) / 4 - 4;
                g.drawString(label, (float) (lx - g.getFontMetrics().stringWidth(label) / 2.0), (float) ly);
            }
            for (Node n : nodes) {
                RoundRectangle2D box = new RoundRectangle2D.Double(n.x(), n.y(), W, H, 16, 16);
                g.setColor(Color.decode(n.role().equals("last") ? "#fde3b5"
                        : n.role().equals("unexpected") ? "#f8c9cf" : "#eef2f7"));
                g.fill(box);
                g.setColor(Color.decode(n.role().equals("state") ? "#4a6fa5" : colour(n.role())));
                g.setStroke(new BasicStroke(n.role().equals("state") ? 1.2f : 2.5f));
                g.draw(box);
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
                g.drawString(n.label(), (float) (n.x() + W / 2.0 - g.getFontMetrics().stringWidth(n.label()) / 2.0),
                        (float) (n.y() + 18));
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
                g.drawString(n.detail(), (float) (n.x() + W / 2.0 - g.getFontMetrics().stringWidth(n.detail()) / 2.0),
                        (float) (n.y() + 34));
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(img, "png", out);
    }

    /**
     * Text for an SVG element or attribute: markup characters as entities, and characters XML does not allow
     * (control characters, a surrogate cut in half by shortening) as U+FFFD, so a log template cannot break the
     * document or become markup in it.
     */
    static String xml(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c) || (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                            || c == '\uFFFE' || c == '\uFFFF') {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
