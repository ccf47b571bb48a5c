/* rating.c: the rules of satisfaction ratings: criteria, levels, checking a submitted rating */
#include "onestop/rating.h"

#include "base/num.h"
#include "text/text.h"

#include <stddef.h>

/* [UNCONFIRMED] The twelve criteria follow the rating page of the Thừa Thiên Huế public
 * service portal (law-and-practice.md §1.7); that they are the ones set by NĐ 61/2018 and
 * kept by NĐ 118/2025, and the three-level scale, are from memory and not yet checked
 * against the text. Criteria are stored by number: change wording here, never numbers. */
static const char *const criteria[RATING_CRITERIA + 1] = {
	NULL,
	"Chất lượng dịch vụ nói chung",
	"Sự thuận tiện khi thực hiện (dễ thực hiện, thời gian phản hồi)",
	"Sự đúng hẹn trong giải quyết hồ sơ và trả kết quả",
	"Thái độ của cán bộ, công chức (hướng dẫn tận tình, không gây phiền hà, sách nhiễu)",
	"Thời gian giải quyết so với thời gian pháp luật quy định",
	"Thời gian giải quyết thực tế so với quy định",
	"Số lần phải liên hệ để hoàn thành hồ sơ",
	"Số cơ quan, đơn vị phải liên hệ",
	"Việc tiếp nhận, giải quyết và trả kết quả tại Bộ phận Một cửa",
	"Việc công khai, minh bạch thủ tục hành chính",
	"Việc tiếp nhận và trả lời ý kiến phản ánh, kiến nghị",
	"Tiến độ và chất lượng cung cấp dịch vụ công trực tuyến",
};

const char *rating_criterion_label(int n)
{
	return n >= 1 && n <= RATING_CRITERIA ? criteria[n] : NULL;
}

const char *rating_level_label(int64_t level)
{
	switch (level) {
	case RATING_VERY_SATISFIED: return "Rất hài lòng";
	case RATING_SATISFIED: return "Hài lòng";
	case RATING_UNSATISFIED: return "Không hài lòng";
	}
	return "";
}

const char *rating_check(struct arena *a, const char *overall,
			 const char *const answers[RATING_CRITERIA + 1], const char *comment,
			 struct rating *out)
{
	*out = (struct rating){ 0 };
	if (overall == NULL || *overall == '\0')
		return "Vui lòng chọn mức độ hài lòng chung.";
	if (!num_parse_int64(overall, 1, RATING_LEVELS, &out->overall))
		return "Mức độ hài lòng không hợp lệ.";
	for (int n = 1; n <= RATING_CRITERIA; n++) {
		const char *v = answers[n];
		if (v == NULL || *v == '\0')
			continue;
		if (!num_parse_int64(v, 1, RATING_LEVELS, &out->answers[n]))
			return "Mức độ hài lòng của một tiêu chí không hợp lệ.";
	}
	out->comment = text_clean(a, comment, RATING_COMMENT_MAX, true);
	if (out->comment == NULL)
		return "Ý kiến góp ý không hợp lệ hoặc quá dài (tối đa 1000 ký tự).";
	return NULL;
}

int64_t rating_satisfied_percent(const struct rating_level_counts *c)
{
	if (c->total <= 0)
		return 0;
	return (c->level[RATING_SATISFIED] + c->level[RATING_VERY_SATISFIED]) * 100 / c->total;
}
