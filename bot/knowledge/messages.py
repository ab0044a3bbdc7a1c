"""Chinese text of `python -m bot knowledge`: errors, check findings, life-cycle states and the CLI's lines."""

ERRORS = {
    "missing_file": "找不到文件：{file}。",
    "unknown_format": "不支持的文件格式：{file}。支持 {formats}（.doc 请先另存为 .docx）。",
    "unreadable": "无法读取 {file}：文件可能已损坏（{reason}）。",
    "encoding": "{file} 不是 UTF-8 或 GBK/GB18030 编码的文本，无法读取。",
    "empty": "{file} 里没有可录入的文字。",
    "scanned_pdf": "{file} 没有文字层，可能是扫描件。请先做文字识别（OCR），或改用 .docx / 网页版本。",
    "not_found": "{file}：原文里找不到这些信息，请用选项给出：{options}。",
    "bad_date": "{option} 的日期“{value}”不对，请写成 2026-05-01、2026-05 或 2026。",
    "bad_doc_number": "文号“{value}”不对，请写成 津人社局发〔2022〕20号 的形式。",
    "bad_region": "地区“{value}”无法识别，请写全称（如 天津市、彭阳县）、行政区划代码或“全国”。",
    "bad_doc_id": "文件编号“{value}”只能用小写字母、数字和连字符，如 tj-2022-20。",
    "unknown_doc": "知识库里没有文件 {doc_id}。",
    "dates_reversed": "施行日期 {start} 晚于有效期截止日 {until}。",
    "chunking": "{file} 切分段落时出错：{reason}",
    "duplicate_id": "{file}：知识库里已有编号为 {doc_id} 的文件。重复录入被拒绝；如要换成新版本，请先 remove 旧文件。",
    "duplicate_doc_number": "{file}：知识库里已有同一文号的文件（{doc_id}），重复录入被拒绝。",
    "duplicate_title": "{file}：知识库里已有同一标题的文件（{doc_id}），重复录入被拒绝。",
    "duplicate_body": "{file}：正文与知识库里的 {doc_id} 基本相同，重复录入被拒绝。",
    "per_file_options": "标题、文号等选项只适用于一个文件；一次录入多个文件时，请逐个录入需要补充信息的文件。",
    "still_referenced": "{doc_id} 仍被引用：{places}。请先处理这些引用，再删除。",
    "set_nothing": "请至少给出 --in-force-from、--in-force-until 或 --replaced-by 中的一项。",
}

PROBLEMS = {
    "unreadable": "无法读取前置信息",
    "missing_field": "缺少字段",
    "empty_field": "字段为空",
    "bad_doc_id": "文件编号与文件名不符或不合规",
    "duplicate_id": "文件编号重复",
    "bad_doc_number": "文号格式不对",
    "bad_date": "日期格式不对",
    "bad_region": "地区与行政区划代码对不上",
    "bad_replaced_by": "replaced_by 指向不存在的文件",
    "duplicate_passages": "段落编号重复",
    "no_passages": "切不出段落",
    "dangling_summary": "通俗解读指向不存在的段落",
}

STATUS = {
    "replaced": "已被 {replaced_by} 取代",
    "expired": "已失效",
    "pending": "尚未施行",
    "in_force": "有效",
    "unknown": "有效期不详",
}

FIELDS = {
    "doc_id": "编号",
    "title": "标题",
    "short_title": "简称",
    "issuer": "发文机关",
    "doc_number": "文号",
    "region": "地区",
    "date": "成文日期",
    "in_force_from": "施行日期",
    "in_force_until": "有效期至",
    "replaced_by": "被取代于",
    "source_file": "来源文件",
    "notes": "备注",
}

SOURCES = {"given": "选项", "found": "原文", "derived": "推断"}

CLI = {
    "draft": "== {file} → {path}",
    "field": "  {name}：{value}（{source}）",
    "field_plain": "  {name}：{value}",
    "passages": "  段落 {count} 个：",
    "passage": "    {passage_id}  {section}  {start}",
    "confirm": "写入知识库？[y/N] ",
    "no_confirmation": "未写入：没有确认。非交互运行请加 --yes。",
    "declined": "未写入。",
    "written": "已写入 {path}",
    "hint": "提示：{old} 被本文件取代，可运行 python -m bot knowledge set {old} --in-force-until {until} --replaced-by {new}",
    "rollback": "写入后检查不通过，已撤销本次写入：",
    "removed": "已删除 {path}",
    "confirm_remove": "删除 {doc_id}（{title}）？[y/N] ",
    "set": "已更新 {path}：{changes}",
    "index_start": "正在更新检索索引……",
    "index_done": "检索索引已更新：{documents} 份文件，{passages} 个段落。",
    "index_skipped": "未更新检索索引（--no-index）。稍后请运行 python -m bot index ensure。",
    "list_total": "共 {count} 份文件。",
    "check_ok": "知识库检查通过：{documents} 份文件，{passages} 个段落。",
    "check_failed": "知识库检查发现 {count} 个问题：",
    "problem": "  {file}：{problem}{detail}",
    "none": "—",
}
