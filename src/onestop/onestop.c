/* onestop.c: rules of the procedure catalogue: input checks, processing times and promises, documents, search words */
#include "onestop/onestop.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/num.h"
#include "base/utf8.h"
#include "text/text.h"
#include "worktime/clock.h"

#include <stdlib.h>
#include <string.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ---- codes ---- */

bool onestop_code_valid(const char *s)
{
	/* Words the addresses under /quan-tri/thu-tuc/ use for themselves. */
	static const char *const reserved[] = { "moi", "json" };
	size_t n = s != NULL ? strlen(s) : 0;
	if (n < 2 || n > ONESTOP_CODE_MAX || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
		if (c == '-' && s[i + 1] == '-')
			return false;
	}
	for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
		if (strcmp(s, reserved[i]) == 0)
			return false;
	return true;
}

const char *onestop_code_check(struct arena *a, const char *typed, const char *name,
			       const char **code_out)
{
	const char *code = text_clean(a, typed, ONESTOP_CODE_MAX, false);
	if (code == NULL)
		return "Mã thủ tục quá dài (tối đa 40 ký tự).";
	if (*code == '\0' && name != NULL)
		code = text_slug(a, name, strlen(name), ONESTOP_CODE_MAX);
	char *lower = arena_strdup(a, code != NULL ? code : "");
	if (lower == NULL)
		return "Mã thủ tục không hợp lệ.";
	for (char *p = lower; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (!onestop_code_valid(lower))
		return "Mã thủ tục chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang "
		       "(2 đến 40 ký tự, ví dụ dang-ky-khai-sinh).";
	*code_out = lower;
	return NULL;
}

/* ---- processing times ---- */

const char *onestop_time_kind_name(enum onestop_time_kind kind)
{
	switch (kind) {
	case ONESTOP_WORKING_DAYS: return "working_days";
	case ONESTOP_WORKING_HOURS: return "working_hours";
	case ONESTOP_SAME_DAY: return "same_day";
	case ONESTOP_TIME_NONE: break;
	}
	return NULL;
}

enum onestop_time_kind onestop_time_kind_of(const char *name)
{
	if (name == NULL)
		return ONESTOP_TIME_NONE;
	if (strcmp(name, "working_days") == 0)
		return ONESTOP_WORKING_DAYS;
	if (strcmp(name, "working_hours") == 0)
		return ONESTOP_WORKING_HOURS;
	if (strcmp(name, "same_day") == 0)
		return ONESTOP_SAME_DAY;
	return ONESTOP_TIME_NONE;
}

const char *onestop_time_problem(const struct onestop_time *t)
{
	switch (t->kind) {
	case ONESTOP_WORKING_DAYS:
		return t->amount >= 1 && t->amount <= DUE_MAX_WORKING_DAYS
			       ? NULL : "Số ngày làm việc phải từ 1 đến 1000.";
	case ONESTOP_WORKING_HOURS:
		return t->amount >= 1 && t->amount <= DUE_MAX_WORKING_HOURS
			       ? NULL : "Số giờ làm việc phải từ 1 đến 8000.";
	case ONESTOP_SAME_DAY:
		return t->amount == 0 ? NULL : "Thời hạn trong ngày không kèm số lượng.";
	case ONESTOP_TIME_NONE:
		break;
	}
	return "Vui lòng chọn cách tính thời hạn giải quyết.";
}

/* Whether a promise p ends no later than the legal time l for every hour of receipt, and
 * differs from it. Times are placed in working hours from the start of the day of receipt
 * (h is the hour of receipt, H the hours of a working day, as the worktime deadlines
 * count): n working hours end at h + n; n working days at H(n + 1); same day at H when
 * received by 15:00, else 2H. The 15:00 cutoff falls late in the day, so a promise in
 * hours or days is never sure to beat "same day", and "same day" beats n hours only when
 * n >= 2H. */
static bool promise_is_shorter(const struct onestop_time *l, const struct onestop_time *p)
{
	const int64_t H = ONESTOP_HOURS_PER_DAY;
	switch (p->kind) {
	case ONESTOP_WORKING_HOURS:
		return l->kind == ONESTOP_WORKING_HOURS ? p->amount < l->amount
		       : l->kind == ONESTOP_WORKING_DAYS ? p->amount <= H * l->amount
		       : false;
	case ONESTOP_WORKING_DAYS:
		return l->kind == ONESTOP_WORKING_HOURS ? H * (p->amount + 1) <= l->amount
		       : l->kind == ONESTOP_WORKING_DAYS ? p->amount < l->amount
		       : false;
	case ONESTOP_SAME_DAY:
		return l->kind == ONESTOP_WORKING_HOURS ? l->amount >= 2 * H
		       : l->kind == ONESTOP_WORKING_DAYS;
	case ONESTOP_TIME_NONE:
		break;
	}
	return false;
}

const char *onestop_promise_problem(const struct onestop_time *legal,
				    const struct onestop_time *promise)
{
	if (promise->kind == ONESTOP_TIME_NONE)
		return promise->amount == 0 ? NULL : "Vui lòng chọn cách tính thời hạn cam kết.";
	if (onestop_time_problem(promise) != NULL)
		return promise->kind == ONESTOP_WORKING_DAYS
			       ? "Số ngày làm việc cam kết phải từ 1 đến 1000."
			       : "Số giờ làm việc cam kết phải từ 1 đến 8000.";
	if (!promise_is_shorter(legal, promise))
		return "Thời hạn cam kết của đơn vị phải ngắn hơn thời hạn theo quy định "
		       "(dù hồ sơ được nhận vào giờ nào).";
	return NULL;
}

const char *onestop_time_words(struct arena *a, const struct onestop_time *t)
{
	const char *words = NULL;
	switch (t->kind) {
	case ONESTOP_WORKING_DAYS:
		words = arena_printf(a, "%lld ngày làm việc", (long long)t->amount);
		break;
	case ONESTOP_WORKING_HOURS:
		words = arena_printf(a, "%lld giờ làm việc", (long long)t->amount);
		break;
	case ONESTOP_SAME_DAY:
		words = "Trong ngày (nhận trước 15 giờ)";
		break;
	case ONESTOP_TIME_NONE:
		break;
	}
	return words != NULL ? words : "";
}

/* ---- fee, online level ---- */

const char *onestop_fee_words(struct arena *a, const char *fee_text, int64_t amount)
{
	if (fee_text != NULL && *fee_text != '\0')
		return fee_text;
	if (amount == 0)
		return "Không thu phí";
	if (amount < 0)
		return "";
	/* Vietnamese groups thousands with dots: 200.000 đồng. */
	char digits[24], grouped[32];
	int n = snprintf(digits, sizeof digits, "%lld", (long long)amount);
	size_t g = 0;
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			grouped[g++] = '.';
		grouped[g++] = digits[i];
	}
	grouped[g] = '\0';
	const char *words = arena_printf(a, "%s đồng", grouped);
	return words != NULL ? words : "";
}

static const struct {
	const char *level, *label;
} online_levels[] = {
	{ "toan_trinh", "Dịch vụ công trực tuyến toàn trình" },
	{ "mot_phan", "Dịch vụ công trực tuyến một phần" },
	{ "truc_tiep", "Nộp trực tiếp (chưa có dịch vụ trực tuyến)" },
};

bool onestop_online_level_valid(const char *level)
{
	return *onestop_online_label(level) != '\0';
}

const char *onestop_online_label(const char *level)
{
	for (size_t i = 0; level != NULL && i < sizeof online_levels / sizeof online_levels[0]; i++)
		if (strcmp(online_levels[i].level, level) == 0)
			return online_levels[i].label;
	return "";
}

/* ---- documents ---- */

/* Checks one document and appends it to list; NULL or a message about item number. */
static const char *add_document(struct arena *a, json_t *list, size_t number, const char *name,
				int64_t copies, const char *note)
{
	const char *clean_name = text_clean(a, name, ONESTOP_DOC_NAME_MAX, false);
	const char *clean_note = text_clean(a, note, ONESTOP_DOC_NOTE_MAX, false);
	if (clean_name == NULL || *clean_name == '\0')
		return arena_printf(a, "Giấy tờ thứ %zu: tên giấy tờ trống hoặc quá dài (tối đa %d ký tự).",
				    number, ONESTOP_DOC_NAME_MAX);
	if (clean_note == NULL)
		return arena_printf(a, "Giấy tờ thứ %zu: ghi chú quá dài (tối đa %d ký tự).", number,
				    ONESTOP_DOC_NOTE_MAX);
	if (copies < 1 || copies > ONESTOP_DOC_COPIES_MAX)
		return arena_printf(a, "Giấy tờ thứ %zu: số bản phải từ 1 đến %d.", number,
				    ONESTOP_DOC_COPIES_MAX);
	if (json_array_size(list) >= ONESTOP_DOCS_MAX)
		return "Thành phần hồ sơ có quá nhiều giấy tờ (tối đa 30).";
	json_array_append_new(list, json_pack("{s:s, s:I, s:s}", "name", clean_name, "copies",
					      (json_int_t)copies, "note", clean_note));
	return NULL;
}

/* One item of a JSON documents array. */
static const char *add_json_document(struct arena *a, json_t *list, size_t number, json_t *item)
{
	const char *key;
	json_t *value;
	if (!json_is_object(item))
		return arena_printf(a, "Giấy tờ thứ %zu không đúng dạng {\"name\", \"copies\", \"note\"}.",
				    number);
	json_object_foreach(item, key, value) {
		if (strcmp(key, "name") != 0 && strcmp(key, "copies") != 0 && strcmp(key, "note") != 0)
			return arena_printf(a, "Giấy tờ thứ %zu có mục không được hỗ trợ.", number);
	}
	json_t *name = json_object_get(item, "name"), *copies = json_object_get(item, "copies");
	json_t *note = json_object_get(item, "note");
	if (!json_is_string(name) || (copies != NULL && !json_is_integer(copies)) ||
	    (note != NULL && !json_is_string(note)))
		return arena_printf(a, "Giấy tờ thứ %zu: tên, ghi chú phải là chữ, số bản phải là số.",
				    number);
	return add_document(a, list, number, json_string_value(name),
			    copies != NULL ? json_integer_value(copies) : 1,
			    note != NULL ? json_string_value(note) : "");
}

static const char *parse_json_documents(struct arena *a, const char *typed, json_t *list)
{
	json_error_t error;
	json_t *items = json_loads(typed, JSON_REJECT_DUPLICATES, &error);
	const char *problem = NULL;
	if (!json_is_array(items))
		problem = "Thành phần hồ sơ dạng JSON phải là một danh sách [{\"name\": ..., "
			  "\"copies\": ..., \"note\": ...}].";
	for (size_t i = 0; problem == NULL && i < json_array_size(items); i++)
		problem = add_json_document(a, list, i + 1, json_array_get(items, i));
	json_decref(items);
	return problem;
}

/* The next '|'-separated part of a line (cut in place), trimmed by the checks later. */
static char *next_part(char **cursor)
{
	char *part = *cursor;
	if (part == NULL)
		return NULL;
	char *bar = strchr(part, '|');
	if (bar != NULL)
		*bar = '\0';
	*cursor = bar != NULL ? bar + 1 : NULL;
	return part;
}

/* One typed line "name | copies | note". */
static const char *add_line_document(struct arena *a, json_t *list, size_t number, char *line)
{
	char *cursor = line;
	char *name = next_part(&cursor), *copies_text = next_part(&cursor);
	char *note = next_part(&cursor);
	if (cursor != NULL)
		return arena_printf(a, "Giấy tờ thứ %zu: mỗi dòng có nhiều nhất ba phần "
				       "\"tên | số bản | ghi chú\".", number);
	int64_t copies = 1;
	if (copies_text != NULL) {
		while (is_space(*copies_text))
			copies_text++;
		size_t n = strlen(copies_text);
		while (n > 0 && is_space(copies_text[n - 1]))
			copies_text[--n] = '\0';
		if (n > 0 && !num_parse_int64(copies_text, 1, ONESTOP_DOC_COPIES_MAX, &copies))
			return arena_printf(a, "Giấy tờ thứ %zu: số bản phải là số từ 1 đến %d.", number,
					    ONESTOP_DOC_COPIES_MAX);
	}
	return add_document(a, list, number, name, copies, note != NULL ? note : "");
}

static const char *parse_line_documents(struct arena *a, const char *typed, json_t *list)
{
	char *text = arena_strdup(a, typed);
	if (text == NULL)
		return "Thành phần hồ sơ quá dài.";
	size_t number = 0;
	for (char *line = text; line != NULL;) {
		char *end = strchr(line, '\n');
		if (end != NULL)
			*end = '\0';
		const char *p = line;
		while (is_space(*p))
			p++;
		if (*p != '\0') {
			const char *problem = add_line_document(a, list, ++number, line);
			if (problem != NULL)
				return problem;
		}
		line = end != NULL ? end + 1 : NULL;
	}
	return NULL;
}

const char *onestop_documents_parse(struct arena *a, const char *typed, const char **json_out)
{
	if (typed == NULL)
		typed = "";
	size_t n = strlen(typed);
	if (n > ONESTOP_DOCS_BYTES_MAX)
		return "Thành phần hồ sơ quá dài (tối đa 48 KB).";
	if (!utf8_valid(typed, n))
		return "Thành phần hồ sơ có ký tự không hợp lệ.";
	const char *start = typed;
	while (is_space(*start))
		start++;
	json_t *list = json_array();
	/* "{" too: a pasted JSON object is an error to show, not a document's name. */
	const char *problem = *start == '[' || *start == '{' ? parse_json_documents(a, start, list)
					    : parse_line_documents(a, typed, list);
	if (problem == NULL && json_array_size(list) == 0)
		problem = "Vui lòng nhập thành phần hồ sơ: mỗi giấy tờ một dòng.";
	if (problem == NULL) {
		char *json = json_dumps(list, JSON_COMPACT);
		*json_out = json != NULL ? arena_strdup(a, json) : NULL;
		free(json);
		if (*json_out == NULL)
			problem = "Thành phần hồ sơ quá dài.";
	}
	json_decref(list);
	return problem;
}

json_t *onestop_documents_array(const char *json)
{
	json_error_t error;
	json_t *list = json != NULL ? json_loads(json, 0, &error) : NULL;
	if (json_is_array(list))
		return list;
	json_decref(list);
	return json_array();
}

const char *onestop_documents_lines(struct arena *a, const char *json)
{
	json_t *list = onestop_documents_array(json);
	struct buf out;
	buf_init(&out, a, ONESTOP_DOCS_BYTES_MAX * 2);
	size_t i;
	json_t *item;
	json_array_foreach(list, i, item) {
		const char *note = json_string_value(json_object_get(item, "note"));
		buf_printf(&out, "%s | %lld", json_string_value(json_object_get(item, "name")),
			   (long long)json_integer_value(json_object_get(item, "copies")));
		if (note != NULL && *note != '\0')
			buf_printf(&out, " | %s", note);
		buf_putc(&out, '\n');
	}
	json_decref(list);
	return out.failed ? "" : buf_str(&out);
}

/* ---- the whole content ---- */

/* Checks a text field in place: NULL or message. */
static const char *check_field(struct arena *a, const char **field, size_t max, bool multiline,
			       bool required, const char *message)
{
	const char *clean = text_clean(a, *field, max, multiline);
	if (clean == NULL || (required && *clean == '\0'))
		return message;
	*field = clean;
	return NULL;
}

static bool national_code_valid(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      *s == '.'))
			return false;
	return true;
}

/* The name, field, codes and legal basis. */
static const char *check_identity(struct arena *a, struct onestop_content *in)
{
	const char *problem = check_field(a, &in->name, ONESTOP_NAME_MAX, false, true,
		"Vui lòng nhập tên thủ tục (tối đa 400 ký tự).");
	if (problem == NULL)
		problem = check_field(a, &in->field, ONESTOP_FIELD_MAX, false, true,
			"Vui lòng nhập lĩnh vực (tối đa 120 ký tự).");
	if (problem == NULL)
		problem = check_field(a, &in->national_code, ONESTOP_NATIONAL_CODE_MAX, false, false,
			"Mã thủ tục quốc gia quá dài.");
	if (problem == NULL && !national_code_valid(in->national_code))
		problem = "Mã thủ tục quốc gia chỉ gồm chữ số, chữ cái và dấu chấm (ví dụ 1.001193).";
	if (problem == NULL)
		problem = check_field(a, &in->legal_basis, ONESTOP_BASIS_MAX, true, true,
			"Vui lòng nhập căn cứ pháp lý (tối đa 3000 ký tự).");
	if (problem == NULL)
		problem = check_field(a, &in->basis_document, ONESTOP_BASIS_DOCUMENT_MAX, false, false,
			"Số, ký hiệu văn bản quá dài (tối đa 300 ký tự).");
	if (problem == NULL)
		problem = check_field(a, &in->basis_effective, 10, false, false,
			"Ngày có hiệu lực không hợp lệ (dạng năm-tháng-ngày).");
	int64_t first, last, effective;
	clock_from_local(ONESTOP_BASIS_YEAR_MIN, 1, 1, 0, 0, &first);
	clock_from_local(ONESTOP_BASIS_YEAR_MAX, 12, 31, 0, 0, &last);
	if (problem == NULL && *in->basis_effective != '\0' &&
	    clock_parse_input(in->basis_effective, false, first, last, &effective) !=
		    CLOCK_INPUT_OK)
		problem = "Ngày có hiệu lực không hợp lệ (dạng năm-tháng-ngày, từ năm 1945 đến "
			  "năm 2100).";
	return problem;
}

/* The fee, the times, the result and who handles it. */
static const char *check_terms(struct arena *a, struct onestop_content *in)
{
	const char *problem = check_field(a, &in->fee_text, ONESTOP_FEE_TEXT_MAX, true, false,
		"Mô tả phí, lệ phí quá dài (tối đa 1000 ký tự).");
	if (problem == NULL && (in->fee_amount < -1 || in->fee_amount > ONESTOP_FEE_MAX))
		problem = "Mức phí, lệ phí không hợp lệ.";
	if (problem == NULL && in->fee_amount == -1 && *in->fee_text == '\0')
		problem = "Vui lòng nhập mức phí, lệ phí (số tiền, 0 nếu miễn phí, hoặc mô tả).";
	if (problem == NULL)
		problem = onestop_time_problem(&in->legal);
	if (problem == NULL)
		problem = onestop_promise_problem(&in->legal, &in->promise);
	if (problem == NULL)
		problem = check_field(a, &in->time_note, ONESTOP_TIME_NOTE_MAX, true, false,
			"Ghi chú về thời hạn quá dài (tối đa 600 ký tự).");
	if (problem == NULL)
		problem = check_field(a, &in->result, ONESTOP_RESULT_MAX, true, true,
			"Vui lòng nhập kết quả thực hiện (tối đa 600 ký tự).");
	if (problem == NULL && !onestop_online_level_valid(in->online_level))
		problem = "Vui lòng chọn mức độ dịch vụ công trực tuyến.";
	if (problem == NULL)
		problem = check_field(a, &in->office, ONESTOP_OFFICE_MAX, false, true,
			"Vui lòng nhập cơ quan thực hiện (tối đa 400 ký tự).");
	if (problem == NULL)
		problem = check_field(a, &in->note, ONESTOP_NOTE_MAX, true, false,
			"Ghi chú quá dài (tối đa 2000 ký tự).");
	return problem;
}

const char *onestop_content_check(struct arena *a, struct onestop_content *in)
{
	const char *problem = check_identity(a, in);
	if (problem == NULL)
		problem = onestop_documents_parse(a, in->documents, &in->documents);
	if (problem == NULL)
		problem = check_terms(a, in);
	return problem;
}

/* ---- search ---- */

const char *onestop_search_query(struct arena *a, const char *typed)
{
	if (typed == NULL)
		return NULL;
	char *folded = text_fold(a, typed, strlen(typed));
	if (folded == NULL || *folded == '\0')
		return NULL;
	/* Folded text is lower-case letters, digits and single spaces: plain words to both
	 * stores, all required (FTS5 operators are upper case; PostgreSQL uses
	 * plainto_tsquery). No prefixes: "hoa*" would find "hoat", "hoan"... */
	return text_first_words(a, folded, ONESTOP_SEARCH_MAX_WORDS);
}

const char *onestop_search_body(struct arena *a, const char *code, const struct onestop_content *c)
{
	struct buf text;
	buf_init(&text, a, ONESTOP_DOCS_BYTES_MAX * 2);
	buf_printf(&text, "%s %s %s\n", code, c->national_code, c->field);
	json_t *docs = onestop_documents_array(c->documents);
	size_t i;
	json_t *item;
	json_array_foreach(docs, i, item)
		buf_printf(&text, "%s\n", json_string_value(json_object_get(item, "name")));
	json_decref(docs);
	buf_printf(&text, "%s\n%s\n%s\n%s", c->result, c->office, c->basis_document, c->legal_basis);
	if (text.failed)
		return NULL;
	return text_fold(a, text.data, text.len);
}
