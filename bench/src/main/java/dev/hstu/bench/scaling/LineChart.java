package dev.hstu.bench.scaling;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A log-log line chart of one measured series, written as PNG with Java2D (headless): enough to see how a cost
 * grows, with every point labelled by its value so the picture needs no table beside it.
 */
final class LineChart {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 440;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private LineChart() {}

    static void write(Path png, String title, String xLabel, String yLabel, double[] x, double[] y) throws IOException {
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("need at least two points with one y per x");
        }
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            double lx0 = Math.log10(min(x)) - 0.1;
            double lx1 = Math.log10(max(x)) + 0.1;
            double ly0 = Math.log10(min(y)) - 0.2;
            double ly1 = Math.log10(max(y)) + 0.2;
            int plotW = WIDTH - LEFT - RIGHT;
            int plotH = HEIGHT - TOP - BOTTOM;
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, LEFT, 28);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawRect(LEFT, TOP, plotW, plotH);
            g.drawString(xLabel + " (log scale)", LEFT + plotW / 2 - 60, HEIGHT - 15);
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel + " (log scale)", -(TOP + plotH / 2 + 60), 20);
            g.rotate(Math.PI / 2);
            int[] px = new int[x.length];
            int[] py = new int[y.length];
            for (int i = 0; i < x.length; i++) {
                px[i] = LEFT + (int) Math.round((Math.log10(x[i]) - lx0) / (lx1 - lx0) * plotW);
                py[i] = TOP + plotH - (int) Math.round((Math.log10(y[i]) - ly0) / (ly1 - ly0) * plotH);
            }
            g.setColor(new Color(30, 90, 180));
            g.setStroke(new BasicStroke(2f));
            g.drawPolyline(px, py, x.length);
            for (int i = 0; i < x.length; i++) {
                g.setColor(new Color(30, 90, 180));
                g.fillOval(px[i] - 4, py[i] - 4, 8, 8);
                g.setColor(Color.BLACK);
                g.drawString(format(y[i]), px[i] + 6, py[i] - 6);
                g.drawString(format(x[i]), px[i] - 12, TOP + plotH + 16);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static String format(double v) {
        return v >= 100 || v == Math.rint(v)
                ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, "%.2f", v);
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
