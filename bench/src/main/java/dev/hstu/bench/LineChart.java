package dev.hstu.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Line charts written as PNG with Java2D (headless): a log-log chart of one measured series, every point labelled by
 * its value so the picture needs no table beside it (how a cost grows), and a linear chart of several named series
 * with a legend (how a metric moves over epochs).
 */
public final class LineChart {

    /**
     * One named line.
     *
     * @param name its legend entry
     * @param x the x values
     * @param y one y per x
     */
    public record Series(String name, double[] x, double[] y) {
        /** @throws IllegalArgumentException unless there is one y per x */
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + " needs one y per x");
            }
        }
    }

    private static final int WIDTH = 720;
    private static final int HEIGHT = 440;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color[] COLOURS = {
        new Color(30, 90, 180),
        new Color(210, 90, 30),
        new Color(40, 150, 70),
        new Color(150, 60, 160),
        new Color(120, 120, 120),
        new Color(200, 40, 80),
        new Color(20, 160, 170),
        new Color(170, 140, 20)
    };

    private LineChart() {}

    /**
     * A log-log chart of one series, each point labelled with its value.
     *
     * @param png the file to write
     * @param title the chart's title
     * @param xLabel the x axis
     * @param yLabel the y axis
     * @param x the x values, all positive
     * @param y one positive y per x
     * @throws IOException when the file cannot be written
     */
    public static void write(Path png, String title, String xLabel, String yLabel, double[] x, double[] y)
            throws IOException {
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("need at least two points with one y per x");
        }
        BufferedImage image = canvas();
        Graphics2D g = image.createGraphics();
        try {
            double lx0 = Math.log10(min(x)) - 0.1;
            double lx1 = Math.log10(max(x)) + 0.1;
            double ly0 = Math.log10(min(y)) - 0.2;
            double ly1 = Math.log10(max(y)) + 0.2;
            frame(g, title, xLabel + " (log scale)", yLabel + " (log scale)");
            int[] px = new int[x.length];
            int[] py = new int[y.length];
            for (int i = 0; i < x.length; i++) {
                px[i] = px(Math.log10(x[i]), lx0, lx1);
                py[i] = py(Math.log10(y[i]), ly0, ly1);
            }
            g.setColor(COLOURS[0]);
            g.setStroke(new BasicStroke(2f));
            g.drawPolyline(px, py, x.length);
            for (int i = 0; i < x.length; i++) {
                g.setColor(COLOURS[0]);
                g.fillOval(px[i] - 4, py[i] - 4, 8, 8);
                g.setColor(Color.BLACK);
                g.drawString(format(y[i]), px[i] + 6, py[i] - 6);
                g.drawString(format(x[i]), px[i] - 12, TOP + plotHeight() + 16);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    /**
     * A linear chart of several series on shared axes, with a legend and ticks at the ends and middle of each axis.
     *
     * @param png the file to write
     * @param title the chart's title
     * @param xLabel the x axis
     * @param yLabel the y axis
     * @param series the lines, at least one with a point; drawn in order, coloured in turn
     * @throws IOException when the file cannot be written
     */
    public static void curves(Path png, String title, String xLabel, String yLabel, List<Series> series)
            throws IOException {
        double x0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;
        for (Series s : series) {
            if (s.x().length > 0) {
                x0 = Math.min(x0, min(s.x()));
                x1 = Math.max(x1, max(s.x()));
                y0 = Math.min(y0, min(s.y()));
                y1 = Math.max(y1, max(s.y()));
            }
        }
        if (x0 > x1) {
            throw new IllegalArgumentException("need at least one point");
        }
        if (x1 == x0) {
            x1 = x0 + 1;
        }
        double pad = y1 > y0 ? 0.05 * (y1 - y0) : Math.max(1e-3, Math.abs(y0) * 0.1);
        y0 = y0 >= 0 ? Math.max(0, y0 - pad) : y0 - pad;
        y1 = y1 + pad;
        BufferedImage image = canvas();
        Graphics2D g = image.createGraphics();
        try {
            frame(g, title, xLabel, yLabel);
            for (double t : new double[] {0, 0.5, 1}) {
                double xv = x0 + t * (x1 - x0);
                double yv = y0 + t * (y1 - y0);
                g.drawString(tick(xv), px(xv, x0, x1) - 10, TOP + plotHeight() + 16);
                g.drawString(tick(yv), LEFT - 50, py(yv, y0, y1) + 4);
            }
            g.setStroke(new BasicStroke(2f));
            // bottom right: learning curves rise and flatten, leaving that corner empty
            int legendY = TOP + plotHeight() - 8 - 16 * (series.size() - 1);
            for (int s = 0; s < series.size(); s++) {
                Series line = series.get(s);
                Color colour = COLOURS[s % COLOURS.length];
                int n = line.x().length;
                int[] px = new int[n];
                int[] py = new int[n];
                for (int i = 0; i < n; i++) {
                    px[i] = px(line.x()[i], x0, x1);
                    py[i] = py(line.y()[i], y0, y1);
                }
                g.setColor(colour);
                g.drawPolyline(px, py, n);
                for (int i = 0; i < n; i++) {
                    g.fillOval(px[i] - 3, py[i] - 3, 6, 6);
                }
                int legendX = WIDTH - RIGHT - 200;
                g.drawLine(legendX, legendY - 4, legendX + 20, legendY - 4);
                g.setColor(Color.BLACK);
                g.drawString(line.name(), legendX + 26, legendY);
                legendY += 16;
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static BufferedImage canvas() {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.dispose();
        return image;
    }

    private static void frame(Graphics2D g, String title, String xLabel, String yLabel) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(LEFT, TOP, plotWidth(), plotHeight());
        g.drawString(xLabel, LEFT + plotWidth() / 2 - 60, HEIGHT - 15);
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(TOP + plotHeight() / 2 + 60), 20);
        g.rotate(Math.PI / 2);
    }

    private static int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    private static int px(double x, double x0, double x1) {
        return LEFT + (int) Math.round((x - x0) / (x1 - x0) * plotWidth());
    }

    private static int py(double y, double y0, double y1) {
        return TOP + plotHeight() - (int) Math.round((y - y0) / (y1 - y0) * plotHeight());
    }

    private static String format(double v) {
        return v >= 100 || v == Math.rint(v)
                ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String tick(double v) {
        return Math.abs(v) < 1 && v != 0 ? String.format(Locale.ROOT, "%.4f", v) : format(v);
    }

    private static double min(double[] v) {
        double m = Double.MAX_VALUE;
        for (double d : v) {
            m = Math.min(m, d);
        }
        return m;
    }

    private static double max(double[] v) {
        double m = -Double.MAX_VALUE;
        for (double d : v) {
            m = Math.max(m, d);
        }
        return m;
    }
}
