/* province.c: the rules of a unit's code, name and host names */
#include "province/province.h"

#include "base/arena.h"
#include "text/text.h"

#include <ctype.h>
#include <string.h>

static bool code_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > PROVINCE_CODE_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

/* A DNS name: labels of a-z 0-9 and inner dashes, 1..63 bytes each. */
static bool host_valid(const char *s, size_t n)
{
	if (n == 0 || n > PROVINCE_HOST_MAX)
		return false;
	size_t label = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
		if (c == '-' && label == 0)
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0 && s[n - 1] != '-';
}

static const char *split_hosts(struct arena *a, const char *text, struct province_unit_input *out)
{
	out->host_count = 0;
	const char *p = text;
	for (;;) {
		p += strspn(p, " \t\r\n,");
		if (*p == '\0')
			break;
		size_t n = strcspn(p, " \t\r\n,");
		if (out->host_count == PROVINCE_HOSTS_MAX)
			return "Mỗi đơn vị có tối đa 8 tên miền.";
		char *host = arena_strndup(a, p, n);
		if (host == NULL)
			return "Danh sách tên miền quá dài.";
		for (char *h = host; *h; h++)
			*h = (char)tolower((unsigned char)*h);
		if (!host_valid(host, n))
			return "Tên miền không hợp lệ (chỉ chữ a-z, số, dấu chấm và gạch ngang, "
			       "không kèm http:// hay số cổng).";
		for (size_t k = 0; k < out->host_count; k++)
			if (strcmp(out->hosts[k], host) == 0)
				return "Một tên miền được nhập hai lần.";
		out->hosts[out->host_count++] = host;
		p += n;
	}
	return out->host_count > 0 ? NULL : "Cần ít nhất một tên miền cho đơn vị.";
}

const char *province_unit_check(struct arena *a, const char *code, const char *name,
				const char *hosts, const char *admin,
				struct province_unit_input *out)
{
	*out = (struct province_unit_input){ 0 };
	if (code == NULL || !code_valid(code))
		return "Mã đơn vị gồm 1 đến 40 ký tự chữ, số, dấu chấm, gạch ngang hoặc gạch dưới.";
	const char *clean = text_clean(a, name, PROVINCE_NAME_MAX, false);
	if (clean == NULL || *clean == '\0' || strlen(clean) > PROVINCE_NAME_MAX)
		return "Tên đơn vị cần từ 1 đến 200 byte, trên một dòng, không có ký tự điều khiển.";
	out->code = arena_strdup(a, code);
	out->name = clean;
	out->admin = admin;
	if (out->code == NULL || out->name == NULL)
		return "Dữ liệu quá dài.";
	return split_hosts(a, hosts != NULL ? hosts : "", out);
}
