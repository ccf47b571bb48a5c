/* lunar.c: Vietnamese lunar calendar from new moons and solar terms (Meeus), at UTC+7
 *
 * The rules, as the Vietnamese calendar states them:
 *   1. a month starts on the local civil day that holds the new moon;
 *   2. the month holding the December solstice (sun's apparent longitude 270°) is month 11;
 *   3. when 13 new moons start between one month 11 and the next, the first month after
 *      month 11 that holds no major solar term (longitude a multiple of 30°) is a leap
 *      month and takes the number of the month before it;
 *   4. "local" means the 105°E meridian, UTC+7.
 *
 * Astronomy: the true new moon of Meeus, Astronomical Algorithms (2nd ed.), ch. 49 (mean
 * phase, the periodic terms of a new moon and the 14 planetary arguments), in dynamical
 * time; the sun's apparent longitude of ch. 25 (the low-accuracy series, about 0.01°);
 * ΔT = TT − UT by the Espenak–Meeus polynomials (NASA, 2006). Written from those
 * descriptions; no other program's code is used.
 *
 * Day numbers here are Julian Day Numbers (JDN) of local civil dates; instants are Julian
 * dates in UT. */
#include "worktime/lunar.h"

#include "worktime/clock.h"

#include <math.h>
#include <stdio.h>

static const double PI = 3.14159265358979323846;
static const double SYNODIC_MONTH = 29.530588861;
static const double JD_UNIX_EPOCH = 2440588; /* JDN of 1970-01-01 */

static double deg_sin(double deg)
{
	return sin(deg * PI / 180.0);
}

static double norm360(double deg)
{
	double x = fmod(deg, 360.0);
	return x < 0 ? x + 360.0 : x;
}

/* ΔT = TT − UT in seconds for a decimal year (Espenak & Meeus polynomial expressions). */
static double delta_t(double y)
{
	double t;
	if (y < 1920) {
		t = y - 1900;
		return -2.79 + 1.494119 * t - 0.0598939 * t * t + 0.0061966 * t * t * t -
		       0.000197 * t * t * t * t;
	}
	if (y < 1941) {
		t = y - 1920;
		return 21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * t * t * t;
	}
	if (y < 1961) {
		t = y - 1950;
		return 29.07 + 0.407 * t - t * t / 233 + t * t * t / 2547;
	}
	if (y < 1986) {
		t = y - 1975;
		return 45.45 + 1.067 * t - t * t / 260 - t * t * t / 718;
	}
	if (y < 2005) {
		t = y - 2000;
		return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * t * t * t +
		       0.000651814 * t * t * t * t + 0.00002373599 * t * t * t * t * t;
	}
	if (y < 2050) {
		t = y - 2000;
		return 62.92 + 0.32217 * t + 0.005589 * t * t;
	}
	double u = (y - 1820) / 100;
	if (y < 2150)
		return -20 + 32 * u * u - 0.5628 * (2150 - y);
	return -20 + 32 * u * u;
}

static double decimal_year(double jd)
{
	return 2000.0 + (jd - 2451545.0) / 365.25;
}

/* Julian Ephemeris Day (TT) of true new moon number k; k = 0 is the one of 2000-01-06. */
static double new_moon_jde(int k)
{
	double T = k / 1236.85;
	double T2 = T * T, T3 = T2 * T, T4 = T3 * T;
	double jde = 2451550.09766 + SYNODIC_MONTH * k + 0.00015437 * T2 - 0.000000150 * T3 +
		     0.00000000073 * T4;
	double E = 1 - 0.002516 * T - 0.0000074 * T2;
	double M = 2.5534 + 29.10535670 * k - 0.0000014 * T2 - 0.00000011 * T3;
	double Mp = 201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 -
		    0.000000058 * T4;
	double F = 160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 +
		   0.000000011 * T4;
	double Om = 124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3;

	double c = -0.40720 * deg_sin(Mp) + 0.17241 * E * deg_sin(M) + 0.01608 * deg_sin(2 * Mp) +
		   0.01039 * deg_sin(2 * F) + 0.00739 * E * deg_sin(Mp - M) -
		   0.00514 * E * deg_sin(Mp + M) + 0.00208 * E * E * deg_sin(2 * M) -
		   0.00111 * deg_sin(Mp - 2 * F) - 0.00057 * deg_sin(Mp + 2 * F) +
		   0.00056 * E * deg_sin(2 * Mp + M) - 0.00042 * deg_sin(3 * Mp) +
		   0.00042 * E * deg_sin(M + 2 * F) + 0.00038 * E * deg_sin(M - 2 * F) -
		   0.00024 * E * deg_sin(2 * Mp - M) - 0.00017 * deg_sin(Om) -
		   0.00007 * deg_sin(Mp + 2 * M) + 0.00004 * deg_sin(2 * Mp - 2 * F) +
		   0.00004 * deg_sin(3 * M) + 0.00003 * deg_sin(Mp + M - 2 * F) +
		   0.00003 * deg_sin(2 * Mp + 2 * F) - 0.00003 * deg_sin(Mp + M + 2 * F) +
		   0.00003 * deg_sin(Mp - M + 2 * F) - 0.00002 * deg_sin(Mp - M - 2 * F) -
		   0.00002 * deg_sin(3 * Mp + M) + 0.00002 * deg_sin(4 * Mp);

	/* The planetary arguments A1..A14 and their coefficients. */
	static const double planet[14][3] = {
		{ 299.77, 0.107408, 0.000325 }, { 251.88, 0.016321, 0.000165 },
		{ 251.83, 26.651886, 0.000164 }, { 349.42, 36.412478, 0.000126 },
		{ 84.66, 18.206239, 0.000110 },  { 141.74, 53.303771, 0.000062 },
		{ 207.14, 2.453732, 0.000060 },  { 154.84, 7.306860, 0.000056 },
		{ 34.52, 27.261239, 0.000047 },  { 207.19, 0.121824, 0.000042 },
		{ 291.34, 1.844379, 0.000040 },  { 161.72, 24.198154, 0.000037 },
		{ 239.56, 25.513099, 0.000035 }, { 331.55, 3.592518, 0.000023 },
	};
	for (int i = 0; i < 14; i++) {
		double a = planet[i][0] + planet[i][1] * k;
		if (i == 0)
			a -= 0.009173 * T2;
		c += planet[i][2] * deg_sin(a);
	}
	return jde + c;
}

/* Julian date (UT) of new moon k. */
static double new_moon_ut(int k)
{
	double jde = new_moon_jde(k);
	return jde - delta_t(decimal_year(jde)) / 86400.0;
}

/* The sun's apparent geocentric longitude, degrees in [0, 360), at Julian date jd (UT). */
static double sun_longitude(double jd)
{
	double jde = jd + delta_t(decimal_year(jd)) / 86400.0;
	double T = (jde - 2451545.0) / 36525.0;
	double L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
	double M = 357.52911 + 35999.05029 * T - 0.0001537 * T * T;
	double C = (1.914602 - 0.004817 * T - 0.000014 * T * T) * deg_sin(M) +
		   (0.019993 - 0.000101 * T) * deg_sin(2 * M) + 0.000289 * deg_sin(3 * M);
	double omega = 125.04 - 1934.136 * T;
	return norm360(L0 + C - 0.00569 - 0.00478 * deg_sin(omega));
}

/* JDN of the local day holding new moon k at offset (minutes east of Greenwich). */
static long month_start(int k, int offset)
{
	return (long)floor(new_moon_ut(k) + 0.5 + offset / 1440.0);
}

/* The sun's longitude at the local midnight that begins day jdn. */
static double longitude_at_day_start(long jdn, int offset)
{
	return sun_longitude((double)jdn - 0.5 - offset / 1440.0);
}

/* Which major solar term (0..11, 30° each) the sun has passed when day jdn begins. */
static int major_term_at_day_start(long jdn, int offset)
{
	return (int)(longitude_at_day_start(jdn, offset) / 30.0) % 12;
}

/* Signed distance in (-180, 180] from 270° to the sun at the start of day jdn. */
static double past_solstice(long jdn, int offset)
{
	double d = norm360(longitude_at_day_start(jdn, offset) - 270.0);
	return d > 180.0 ? d - 360.0 : d;
}

/* The new moon number whose month starts on or before jdn and ends after it. */
static int month_holding(long jdn, int offset)
{
	int k = (int)floor((jdn - 2451550.1) / SYNODIC_MONTH);
	while (month_start(k, offset) > jdn)
		k--;
	while (month_start(k + 1, offset) <= jdn)
		k++;
	return k;
}

/* The new moon number of month 11: the month holding the December solstice of year. */
static int month_eleven(int year, int offset)
{
	long dec21 = (long)(clock_days_from_civil(year, 12, 21) + JD_UNIX_EPOCH);
	int k = month_holding(dec21, offset);
	/* The solstice is on Dec 20..23; step at most a month either way. */
	if (past_solstice(month_start(k, offset), offset) >= 0)
		k--;
	else if (past_solstice(month_start(k + 1, offset), offset) < 0)
		k++;
	return k;
}

/* The months from month 11 of one year to month 11 of the next. */
struct cycle {
	int solstice_year; /* the Gregorian year of the first solstice */
	int months;        /* 12 or 13 */
	int leap;          /* index (1..12) of the leap month, 0 if none */
	long start[14];    /* JDN of the first day of each month, plus the next month 11 */
};

static void cycle_make(int year, int offset, struct cycle *c)
{
	int a = month_eleven(year, offset);
	int b = month_eleven(year + 1, offset);
	c->solstice_year = year;
	c->months = b - a;
	c->leap = 0;
	for (int i = 0; i <= c->months && i < 14; i++)
		c->start[i] = month_start(a + i, offset);
	if (c->months != 13)
		return;
	for (int i = 1; i <= 12; i++)
		if (major_term_at_day_start(c->start[i], offset) ==
		    major_term_at_day_start(c->start[i + 1], offset)) {
			c->leap = i;
			return;
		}
}

/* Month number (1..12), leap flag and lunar year of the month at index i of a cycle. */
static void cycle_month(const struct cycle *c, int i, struct lunar_date *out)
{
	int rank = (c->leap != 0 && i >= c->leap) ? i - 1 : i; /* 0 = month 11 */
	out->month = (rank + 10) % 12 + 1;
	out->is_leap = c->leap != 0 && i == c->leap;
	out->year = c->solstice_year + (rank >= 2 ? 1 : 0);
}

static bool solar_in_range(int year, int month, int day)
{
	return year >= LUNAR_FIRST_YEAR && year <= LUNAR_LAST_YEAR &&
	       clock_valid_date(year, month, day);
}

bool lunar_from_solar_at(int year, int month, int day, int offset, struct lunar_date *out)
{
	if (!solar_in_range(year, month, day))
		return false;
	long jdn = (long)(clock_days_from_civil(year, month, day) + JD_UNIX_EPOCH);
	struct cycle c;
	cycle_make(year, offset, &c);
	if (jdn < c.start[0])
		cycle_make(year - 1, offset, &c);
	int i = 0;
	while (i + 1 < c.months && c.start[i + 1] <= jdn)
		i++;
	cycle_month(&c, i, out);
	out->day = (int)(jdn - c.start[i]) + 1;
	return true;
}

bool lunar_from_solar(int year, int month, int day, struct lunar_date *out)
{
	return lunar_from_solar_at(year, month, day, LUNAR_VN_OFFSET_MINUTES, out);
}

/* Finds the cycle and index of a lunar month; false if there is no such month. */
static bool locate_month(int lunar_year, int month, bool is_leap, int offset, struct cycle *c,
			 int *index)
{
	if (lunar_year < LUNAR_FIRST_YEAR - 1 || lunar_year > LUNAR_LAST_YEAR || month < 1 ||
	    month > 12)
		return false;
	int rank;
	if (month >= 11) {
		cycle_make(lunar_year, offset, c);
		rank = month - 11;
	} else {
		cycle_make(lunar_year - 1, offset, c);
		rank = month + 1;
	}
	if (is_leap) {
		if (c->leap == 0 || c->leap - 1 != rank)
			return false;
		*index = c->leap;
	} else {
		*index = (c->leap != 0 && rank >= c->leap) ? rank + 1 : rank;
	}
	return true;
}

bool lunar_to_solar_at(const struct lunar_date *ld, int offset, int *year, int *month, int *day)
{
	struct cycle c;
	int i;
	if (ld == NULL || !locate_month(ld->year, ld->month, ld->is_leap, offset, &c, &i))
		return false;
	long length = c.start[i + 1] - c.start[i];
	if (ld->day < 1 || ld->day > length)
		return false;
	int y, m, d;
	clock_civil_from_days(c.start[i] + ld->day - 1 - (long)JD_UNIX_EPOCH, &y, &m, &d);
	if (!solar_in_range(y, m, d))
		return false;
	*year = y;
	*month = m;
	*day = d;
	return true;
}

bool lunar_to_solar(const struct lunar_date *ld, int *year, int *month, int *day)
{
	return lunar_to_solar_at(ld, LUNAR_VN_OFFSET_MINUTES, year, month, day);
}

int lunar_month_length(int lunar_year, int month, bool is_leap)
{
	struct cycle c;
	int i;
	if (!locate_month(lunar_year, month, is_leap, LUNAR_VN_OFFSET_MINUTES, &c, &i))
		return 0;
	return (int)(c.start[i + 1] - c.start[i]);
}

int lunar_leap_month(int lunar_year)
{
	if (lunar_year < LUNAR_FIRST_YEAR || lunar_year > LUNAR_LAST_YEAR)
		return -1;
	/* Months 1..10 of the year lie in the cycle that starts in the year before, months 11
	 * and 12 in the cycle that starts in the year itself. */
	struct cycle c;
	struct lunar_date ld;
	cycle_make(lunar_year - 1, LUNAR_VN_OFFSET_MINUTES, &c);
	if (c.leap != 0) {
		cycle_month(&c, c.leap, &ld);
		if (ld.year == lunar_year)
			return ld.month;
	}
	cycle_make(lunar_year, LUNAR_VN_OFFSET_MINUTES, &c);
	if (c.leap != 0) {
		cycle_month(&c, c.leap, &ld);
		if (ld.year == lunar_year)
			return ld.month;
	}
	return 0;
}

const char *lunar_year_name(int lunar_year, char *out, size_t n)
{
	static const char *const stems[] = { "Giáp", "Ất",  "Bính", "Đinh", "Mậu",
					     "Kỷ",   "Canh", "Tân", "Nhâm", "Quý" };
	static const char *const branches[] = { "Tý",  "Sửu", "Dần",  "Mão", "Thìn", "Tỵ",
						"Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi" };
	/* 1984 was Giáp Tý, the first year of a sixty-year cycle. */
	int s = ((lunar_year - 1984) % 10 + 10) % 10;
	int b = ((lunar_year - 1984) % 12 + 12) % 12;
	snprintf(out, n, "%s %s", stems[s], branches[b]);
	return out;
}
