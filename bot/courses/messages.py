"""Chinese texts of the catalogue import report, the CLI and search errors; values go in by name."""

FIELD_LABELS = {
    "institution": "培训机构",
    "course": "课程名称",
    "occupation": "工种",
    "address": "地址",
    "adcode": "行政区划代码",
    "lat": "纬度",
    "lng": "经度",
    "start_date": "开课日期",
    "end_date": "结课日期",
    "subsidized": "是否补贴",
    "phone": "联系电话",
}

IMPORT_MESSAGES = {
    "file_not_found": "找不到文件：{path}",
    "not_utf8": "文件不是 UTF-8 编码（第 {line} 行起无法解码）。如用 Excel 编辑，请另存为“CSV UTF-8”格式后重试",
    "empty_file": "文件为空，缺少表头",
    "bad_header": "表头不正确：应为 {expected}，实际为 {actual}",
    "no_rows": "文件只有表头，没有课程数据",
    "column_count": "第 {line} 行：应有 {expected} 列，实际 {actual} 列",
    "required": "第 {line} 行：{field}不能为空",
    "bad_date": "第 {line} 行：{field}“{value}”不是有效日期，应写作 2026-03-01",
    "end_before_start": "第 {line} 行：结课日期 {end} 早于开课日期 {start}",
    "bad_adcode": "第 {line} 行：行政区划代码“{value}”无效，应为 6 位县级及以上代码，如 640425",
    "unresolvable_place": "第 {line} 行：无法从地址“{value}”识别所在省市县，请填写行政区划代码或经纬度所在地区",
    "half_coordinates": "第 {line} 行：经纬度须同时填写或同时留空",
    "bad_coordinate": "第 {line} 行：{field}“{value}”不是数字",
    "outside_china": "第 {line} 行：经纬度（{lat}，{lng}）不在中国境内，请检查是否填反",
    "bad_phone": "第 {line} 行：联系电话“{value}”格式不正确，应为手机号、带区号的座机或 400/800 号码",
    "bad_bool": "第 {line} 行：是否补贴“{value}”无法识别，请填写 是/否、true/false 或 1/0",
    "more_errors": "……另有 {count} 处错误未列出",
}

CLI_MESSAGES = {
    "failed": "导入失败：发现 {count} 处错误，未写入任何数据。",
    "imported": "导入完成：新增 {count} 门课程。",
    "replaced": "导入完成：已用 {count} 门课程替换原有目录。",
    "checked": "已校验 {count} 行……",
    "written": "已写入 {count} 行……",
}

SEARCH_MESSAGES = {
    "missing_origin": "请提供所在地点或经纬度",
    "unknown_place": "无法识别地点“{place}”，请提供省、市或县区名称",
    "invalid_coordinates": "经纬度无效：纬度 {lat}，经度 {lng}",
    "unknown_occupation": "无法识别工种“{occupation}”",
    "invalid_limit": "返回数量应为 1 到 {maximum} 之间的整数，收到“{limit}”",
}
