/* upload_demo.c: the picture of a ward People's Committee building drawn for demo articles */
#include "upload/upload.h"

#include "upload/upload_internal.h"

#include <math.h>

/* Drawn this many times larger, then scaled down: gd fills polygons without anti-aliasing. */
#define DEMO_SUPERSAMPLE 2
#define DEMO_MIN_SIDE 16
#define DEMO_MAX_SIDE 4000

struct rgb {
	int r, g, b;
};

/* xorshift32: small, deterministic, good enough for choosing colours. */
struct demo_random {
	uint32_t state;
};

static uint32_t random_next(struct demo_random *rnd)
{
	uint32_t x = rnd->state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	rnd->state = x;
	return x;
}

/* A number in [lo, hi]. */
static double random_between(struct demo_random *rnd, double lo, double hi)
{
	return lo + (hi - lo) * (random_next(rnd) / 4294967295.0);
}

static int random_int(struct demo_random *rnd, int lo, int hi)
{
	return lo + (int)(random_next(rnd) % (uint32_t)(hi - lo + 1));
}

static int color(struct rgb c)
{
	return gdTrueColor(c.r, c.g, c.b);
}

static int color_alpha(struct rgb c, int alpha)
{
	return gdTrueColorAlpha(c.r, c.g, c.b, alpha);
}

static struct rgb mix(struct rgb a, struct rgb b, double t)
{
	return (struct rgb){
		(int)lround(a.r + (b.r - a.r) * t),
		(int)lround(a.g + (b.g - a.g) * t),
		(int)lround(a.b + (b.b - a.b) * t),
	};
}

/* The whole scene in one place, sizes in pixels of the supersampled canvas. */
struct scene {
	gdImagePtr im;
	int w, h;
	int horizon; /* y of the ground line */
	struct demo_random rnd;
};

static void fill_rect(struct scene *s, double x0, double y0, double x1, double y1, int c)
{
	gdImageFilledRectangle(s->im, (int)lround(x0), (int)lround(y0), (int)lround(x1) - 1,
		(int)lround(y1) - 1, c);
}

static void fill_ellipse(struct scene *s, double cx, double cy, double w, double h, int c)
{
	gdImageFilledEllipse(s->im, (int)lround(cx), (int)lround(cy), (int)lround(w),
		(int)lround(h), c);
}

static void vertical_gradient(struct scene *s, int y0, int y1, struct rgb top, struct rgb bottom)
{
	for (int y = y0; y < y1; y++) {
		double t = y1 - y0 > 1 ? (double)(y - y0) / (y1 - y0 - 1) : 0;
		gdImageLine(s->im, 0, y, s->w - 1, y, color(mix(top, bottom, t)));
	}
}

static void draw_sky(struct scene *s)
{
	static const struct rgb tops[] = {
		{ 52, 120, 200 },  /* noon */
		{ 90, 150, 215 },  /* morning */
		{ 60, 70, 140 },   /* late afternoon */
		{ 35, 105, 185 },  /* dry season, deep blue */
	};
	static const struct rgb horizons[] = {
		{ 190, 225, 245 },
		{ 250, 225, 185 },
		{ 245, 170, 120 },
		{ 170, 215, 240 },
	};
	int mood = random_int(&s->rnd, 0, 3);
	vertical_gradient(s, 0, s->horizon, tops[mood], horizons[mood]);

	/* The sun with a soft glow. */
	double sun_x = s->w * random_between(&s->rnd, 0.08, 0.92);
	double sun_y = s->horizon * random_between(&s->rnd, 0.15, 0.45);
	double r = s->h * random_between(&s->rnd, 0.05, 0.08);
	struct rgb sun = mood == 2 ? (struct rgb){ 255, 200, 120 } : (struct rgb){ 255, 240, 170 };
	for (int i = 4; i >= 1; i--)
		fill_ellipse(s, sun_x, sun_y, r * (1 + 0.45 * i), r * (1 + 0.45 * i),
			color_alpha(sun, 100 + 4 * i));
	fill_ellipse(s, sun_x, sun_y, r, r, color(sun));

	/* Clouds: a few white puffs each. */
	int clouds = random_int(&s->rnd, 2, 4);
	for (int i = 0; i < clouds; i++) {
		double cx = s->w * random_between(&s->rnd, 0.0, 1.0);
		double cy = s->horizon * random_between(&s->rnd, 0.1, 0.55);
		double size = s->w * random_between(&s->rnd, 0.05, 0.1);
		int puffs = random_int(&s->rnd, 3, 5);
		for (int j = 0; j < puffs; j++) {
			double dx = (j - (puffs - 1) / 2.0) * size * 0.55;
			double dy = random_between(&s->rnd, -0.2, 0.15) * size;
			fill_ellipse(s, cx + dx, cy + dy, size * random_between(&s->rnd, 0.8, 1.2),
				size * 0.6, color_alpha((struct rgb){ 255, 255, 255 }, 25));
		}
	}
}

static void draw_ground(struct scene *s)
{
	/* Far hills, then the lawn, then a light courtyard leading to the steps. */
	struct rgb hill = mix((struct rgb){ 95, 140, 120 }, (struct rgb){ 120, 150, 175 },
		random_between(&s->rnd, 0, 1));
	gdPoint hills[16];
	int count = 0;
	hills[count++] = (gdPoint){ 0, s->horizon };
	for (int i = 0; i <= 12; i++) {
		double x = s->w * i / 12.0;
		double y = s->horizon - s->h * random_between(&s->rnd, 0.02, 0.09);
		hills[count++] = (gdPoint){ (int)lround(x), (int)lround(y) };
	}
	hills[count++] = (gdPoint){ s->w - 1, s->horizon };
	gdImageFilledPolygon(s->im, hills, count, color(hill));

	struct rgb grass = mix((struct rgb){ 95, 165, 70 }, (struct rgb){ 120, 180, 80 },
		random_between(&s->rnd, 0, 1));
	vertical_gradient(s, s->horizon, s->h, grass, mix(grass, (struct rgb){ 40, 90, 30 }, 0.5));
}

/* A five-pointed star centred on (cx, cy), outer radius r, one point up. */
static void draw_star(struct scene *s, double cx, double cy, double r, int c)
{
	gdPoint p[10];
	for (int i = 0; i < 10; i++) {
		double radius = i % 2 == 0 ? r : r * 0.382;
		double angle = -M_PI / 2 + i * M_PI / 5;
		p[i] = (gdPoint){ (int)lround(cx + radius * cos(angle)),
			(int)lround(cy + radius * sin(angle)) };
	}
	gdImageFilledPolygon(s->im, p, 10, c);
}

/* Flag pole standing on (x, y_base), flag of height fh flying right from the top. */
static void draw_flag(struct scene *s, double x, double y_base, double pole, double fh)
{
	double pw = fh * 0.06 + 1;
	fill_rect(s, x - pw / 2, y_base - pole, x + pw / 2, y_base, color((struct rgb){ 200, 200, 195 }));
	fill_ellipse(s, x, y_base - pole, pw * 2, pw * 2, color((struct rgb){ 230, 200, 80 }));
	double top = y_base - pole + pw;
	double fw = fh * 1.5;
	fill_rect(s, x + pw / 2, top, x + pw / 2 + fw, top + fh, color((struct rgb){ 218, 37, 29 }));
	/* Official proportion: the star's outer radius is a fifth of the flag's length. */
	draw_star(s, x + pw / 2 + fw / 2, top + fh / 2 + fh * 0.02, fw / 5,
		color((struct rgb){ 255, 205, 0 }));
}

static void draw_window(struct scene *s, double x, double y, double w, double h, struct rgb frame)
{
	fill_rect(s, x - w * 0.12, y - h * 0.08, x + w * 1.12, y + h * 1.08, color(frame));
	fill_rect(s, x, y, x + w, y + h, color((struct rgb){ 60, 90, 120 }));
	/* A reflection across the upper pane. */
	fill_rect(s, x, y, x + w, y + h * 0.35, color((struct rgb){ 110, 150, 180 }));
	fill_rect(s, x + w * 0.47, y, x + w * 0.53, y + h, color(frame));
}

static void draw_building(struct scene *s)
{
	static const struct rgb walls[] = {
		{ 242, 200, 80 },  /* the classic ochre yellow */
		{ 245, 215, 120 },
		{ 238, 226, 190 }, /* cream */
		{ 240, 190, 95 },
	};
	struct rgb wall = walls[random_int(&s->rnd, 0, 3)];
	struct rgb shade = mix(wall, (struct rgb){ 120, 80, 30 }, 0.25);
	struct rgb white = { 250, 248, 240 };
	struct rgb roof = mix((struct rgb){ 170, 60, 40 }, (struct rgb){ 140, 70, 50 },
		random_between(&s->rnd, 0, 1));

	double bw = s->w * random_between(&s->rnd, 0.5, 0.62);
	double cx = s->w * random_between(&s->rnd, 0.44, 0.56);
	double x0 = cx - bw / 2, x1 = cx + bw / 2;
	double ground = s->horizon + s->h * 0.06;
	double bh = s->h * random_between(&s->rnd, 0.24, 0.3);
	double top = ground - bh;

	/* Courtyard in front. */
	gdPoint yard[4] = {
		{ (int)lround(cx - bw * 0.18), (int)lround(ground) },
		{ (int)lround(cx + bw * 0.18), (int)lround(ground) },
		{ (int)lround(cx + bw * 0.45), s->h },
		{ (int)lround(cx - bw * 0.45), s->h },
	};
	gdImageFilledPolygon(s->im, yard, 4, color((struct rgb){ 205, 200, 190 }));

	/* Roof over the wings, the body, a cornice. */
	gdPoint roof_shape[4] = {
		{ (int)lround(x0 + bw * 0.03), (int)lround(top) },
		{ (int)lround(x1 - bw * 0.03), (int)lround(top) },
		{ (int)lround(x1 - bw * 0.09), (int)lround(top - bh * 0.18) },
		{ (int)lround(x0 + bw * 0.09), (int)lround(top - bh * 0.18) },
	};
	gdImageFilledPolygon(s->im, roof_shape, 4, color(roof));
	fill_rect(s, x0, top, x1, ground, color(wall));
	fill_rect(s, x0 - bw * 0.01, top, x1 + bw * 0.01, top + bh * 0.07, color(white));
	fill_rect(s, x0, ground - bh * 0.08, x1, ground, color(shade));

	/* Windows on the wings, two floors. */
	double portico_w = bw * 0.36;
	double px0 = cx - portico_w / 2, px1 = cx + portico_w / 2;
	int per_wing = random_int(&s->rnd, 2, 4);
	double wing_w = px0 - x0;
	double win_w = wing_w / (per_wing * 1.9);
	for (int floor = 0; floor < 2; floor++) {
		double wy = top + bh * (floor == 0 ? 0.2 : 0.56);
		double wh = bh * 0.24;
		for (int i = 0; i < per_wing; i++) {
			double offset = wing_w * (i + 0.5) / per_wing - win_w / 2;
			draw_window(s, x0 + offset, wy, win_w, wh, white);
			draw_window(s, px1 + offset, wy, win_w, wh, white);
		}
	}

	/* Central portico: pediment, entablature, columns, a dark entrance behind them. */
	double portico_top = top - bh * 0.1;
	fill_rect(s, px0, portico_top, px1, ground, color(mix(wall, white, 0.3)));
	fill_rect(s, cx - portico_w * 0.15, ground - bh * 0.45, cx + portico_w * 0.15, ground,
		color((struct rgb){ 110, 70, 40 }));
	gdPoint pediment[3] = {
		{ (int)lround(px0 - bw * 0.02), (int)lround(portico_top) },
		{ (int)lround(px1 + bw * 0.02), (int)lround(portico_top) },
		{ (int)lround(cx), (int)lround(portico_top - bh * 0.3) },
	};
	gdImageFilledPolygon(s->im, pediment, 3, color(white));
	gdPoint tympanum[3] = {
		{ (int)lround(px0 + bw * 0.02), (int)lround(portico_top - bh * 0.02) },
		{ (int)lround(px1 - bw * 0.02), (int)lround(portico_top - bh * 0.02) },
		{ (int)lround(cx), (int)lround(portico_top - bh * 0.25) },
	};
	gdImageFilledPolygon(s->im, tympanum, 3, color(wall));
	/* The state emblem's place: a red disc with a yellow star. */
	double emblem = bh * 0.1;
	fill_ellipse(s, cx, portico_top - bh * 0.1, emblem, emblem, color((struct rgb){ 200, 40, 30 }));
	draw_star(s, cx, portico_top - bh * 0.1, emblem * 0.4, color((struct rgb){ 255, 205, 0 }));
	fill_rect(s, px0 - bw * 0.02, portico_top, px1 + bw * 0.02, portico_top + bh * 0.08,
		color(white));

	int columns = random_int(&s->rnd, 2, 3) * 2;
	double col_w = portico_w / (columns * 2.6);
	for (int i = 0; i < columns; i++) {
		double x = px0 + portico_w * (i + 0.5) / columns;
		fill_rect(s, x - col_w / 2, portico_top + bh * 0.08, x + col_w / 2, ground,
			color(white));
		fill_rect(s, x + col_w * 0.15, portico_top + bh * 0.08, x + col_w / 2, ground,
			color(mix(white, shade, 0.35)));
		fill_rect(s, x - col_w * 0.8, portico_top + bh * 0.08, x + col_w * 0.8,
			portico_top + bh * 0.12, color(white));
	}

	/* Three steps, each wider than the one above. */
	for (int i = 0; i < 3; i++) {
		double sw = portico_w * (1.05 + 0.08 * i);
		double sy = ground + bh * 0.03 * i;
		fill_rect(s, cx - sw / 2, sy, cx + sw / 2, sy + bh * 0.03,
			color(mix((struct rgb){ 215, 212, 205 }, (struct rgb){ 170, 168, 160 }, i / 3.0)));
	}

	/* The flag on the pediment's top, or on a pole in the courtyard. */
	double fh = s->h * 0.06;
	if (random_int(&s->rnd, 0, 1) == 0)
		draw_flag(s, cx, portico_top - bh * 0.3, bh * 0.45, fh);
	else
		draw_flag(s, cx - bw * 0.32, ground + bh * 0.15, bh * 1.1, fh);
}

static void draw_tree(struct scene *s, double x, double base, double size)
{
	struct rgb leaf = mix((struct rgb){ 40, 110, 45 }, (struct rgb){ 70, 140, 50 },
		random_between(&s->rnd, 0, 1));
	fill_rect(s, x - size * 0.06, base - size * 0.9, x + size * 0.06, base,
		color((struct rgb){ 105, 70, 40 }));
	int puffs = random_int(&s->rnd, 3, 5);
	for (int i = 0; i < puffs; i++) {
		double dx = random_between(&s->rnd, -0.3, 0.3) * size;
		double dy = random_between(&s->rnd, -0.3, 0.15) * size;
		double d = size * random_between(&s->rnd, 0.55, 0.8);
		struct rgb shade = mix(leaf, (struct rgb){ 20, 60, 20 }, i % 2 ? 0.3 : 0);
		fill_ellipse(s, x + dx, base - size + dy, d, d, color(shade));
	}
}

static void draw_trees(struct scene *s)
{
	int count = random_int(&s->rnd, 2, 4);
	for (int side = 0; side < 2; side++) {
		for (int i = 0; i < count; i++) {
			double edge = random_between(&s->rnd, 0.02, 0.2);
			double x = s->w * (side == 0 ? edge : 1 - edge);
			double base = s->horizon + s->h * random_between(&s->rnd, 0.08, 0.2);
			draw_tree(s, x, base, s->h * random_between(&s->rnd, 0.16, 0.26));
		}
	}
	/* A low hedge along the front. */
	struct rgb hedge = { 50, 120, 50 };
	for (double x = 0; x < s->w; x += s->w / 40.0)
		fill_ellipse(s, x, s->h * 0.97, s->w / 28.0, s->h * 0.06, color(hedge));
}

enum status upload_demo_picture(int width, int height, unsigned seed, struct upload_image *out)
{
	*out = (struct upload_image){ 0 };
	if (width < DEMO_MIN_SIDE || width > DEMO_MAX_SIDE || height < DEMO_MIN_SIDE ||
	    height > DEMO_MAX_SIDE)
		return STATUS_INVALID;
	upload_gd_init();
	struct scene s = {
		.w = width * DEMO_SUPERSAMPLE,
		.h = height * DEMO_SUPERSAMPLE,
		/* Never zero: xorshift would stay at zero. */
		.rnd = { .state = (uint32_t)seed * 2654435761u ^ 0x9e3779b9u },
	};
	if (s.rnd.state == 0)
		s.rnd.state = 1;
	s.horizon = (int)lround(s.h * random_between(&s.rnd, 0.55, 0.62));
	s.im = gdImageCreateTrueColor(s.w, s.h);
	gdImagePtr small = gdImageCreateTrueColor(width, height);
	enum status st = STATUS_INTERNAL;
	if (s.im == NULL || small == NULL)
		goto out;
	gdImageAlphaBlending(s.im, 1);
	draw_sky(&s);
	draw_ground(&s);
	draw_building(&s);
	draw_trees(&s);
	gdImageCopyResampled(small, s.im, 0, 0, 0, 0, width, height, s.w, s.h);
	st = upload_encode(small, false, out);
out:
	if (small != NULL)
		gdImageDestroy(small);
	if (s.im != NULL)
		gdImageDestroy(s.im);
	return st;
}
