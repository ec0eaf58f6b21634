-- Chinese-named views over the main tables, for users who query in Chinese.
-- Column names and coded values (match method, owner type, severity, level) are
-- Chinese too; the English tables stay the stable interface.

CREATE VIEW 车辆主题库 AS
SELECT vehicle_id AS 车辆标识, plate AS 号牌号码, plate_type AS 号牌种类, vin AS 车辆识别代号,
       owner_name AS 所有人, owner_id AS 所有人证件号码, CASE owner_kind WHEN 'person' THEN '自然人' WHEN 'legal_entity' THEN '法人' END AS 所有人类型,
       CASE owner_match WHEN 'exact' THEN '精确' WHEN 'fuzzy' THEN '模糊' ELSE '未关联' END AS 关联方式, owner_address_id AS 住所地址标识, brand AS 品牌型号,
       vehicle_type AS 车辆类型, use_nature AS 使用性质, status AS 状态,
       registered_on AS 初次登记日期, updated_at AS 更新时间
FROM vehicle;

CREATE VIEW 房屋主题库 AS
SELECT housing_id AS 房屋标识, property_unit_no AS 不动产单元号, cert_number AS 不动产权证号,
       location_raw AS 坐落, address_id AS 地址标识, longitude AS 经度, latitude AS 纬度,
       area AS 建筑面积, usage AS 用途, registered_on AS 登记日期, owner_count AS 权利人数
FROM housing;

CREATE VIEW 房屋权利人 AS
SELECT housing_id AS 房屋标识, seq AS 序号, owner_name AS 权利人, owner_id AS 权利人证件号,
       CASE owner_kind WHEN 'person' THEN '自然人' WHEN 'legal_entity' THEN '法人' END AS 权利人类型, CASE owner_match WHEN 'exact' THEN '精确' WHEN 'fuzzy' THEN '模糊' ELSE '未关联' END AS 关联方式
FROM housing_owner;

CREATE VIEW 地址主题库 AS
SELECT address_id AS 地址标识, canonical AS 标准地址, division_code AS 行政区划代码,
       CASE level WHEN 'province' THEN '省' WHEN 'city' THEN '市' WHEN 'county' THEN '县区'
            WHEN 'town' THEN '乡镇街道' WHEN 'village' THEN '村社区' ELSE '未解析' END AS 解析层级, province AS 省, city AS 市, county AS 县区, town AS 乡镇街道,
       village AS 村社区, grp AS 组, road AS 路街巷, road_no AS 门牌号, estate AS 小区,
       building AS 楼栋, unit AS 单元, floor AS 楼层, room AS 房间, longitude AS 经度,
       latitude AS 纬度, persons_registered AS 户籍人数, persons_residing AS 居住人数,
       legal_entities AS 法人数, houses AS 房屋数, vehicle_owners AS 车主数
FROM address;

CREATE VIEW 自然人 AS
SELECT person_id AS 人员标识, id_number AS 公民身份号码, name AS 姓名, gender AS 性别,
       birth_date AS 出生日期, ethnicity AS 民族, registered_address_id AS 户籍地址标识,
       residence_address_id AS 居住地址标识, phone AS 联系电话
FROM person;

CREATE VIEW 法人 AS
SELECT entity_id AS 法人标识, uscc AS 统一社会信用代码, name AS 单位名称,
       legal_rep_name AS 法定代表人, address_id AS 住所地址标识, entity_type AS 类型,
       status AS 登记状态, established_on AS 成立日期
FROM legal_entity;

CREATE VIEW 电子证照 AS
SELECT cert_id AS 证照标识, cert_type AS 证照类型, cert_number AS 证照编号,
       holder_name AS 持证主体, holder_id AS 持证主体代码, CASE holder_match WHEN 'exact' THEN '精确' WHEN 'fuzzy' THEN '模糊' ELSE '未关联' END AS 关联方式,
       issuer AS 发证机关, issued_on AS 发证日期, valid_until AS 有效期至
FROM certificate;

CREATE VIEW 数据质量问题工单 AS
SELECT issue_id AS 工单编号, source AS 数据来源, department AS 责任部门, line AS 行号,
       field AS 字段, value AS 问题值, rule AS 规则, CASE severity WHEN 'error' THEN '错误' WHEN 'warning' THEN '警告' WHEN 'info' THEN '提示' END AS 严重程度,
       message_zh AS 问题描述, suggestion AS 建议值
FROM quality_issue;

CREATE VIEW 数据质量指标 AS
SELECT source AS 数据来源, field AS 字段, dimension AS 维度, numerator AS 分子,
       denominator AS 分母, rate AS 比率, target AS 目标
FROM quality_metric;

CREATE VIEW 关联关系 AS
SELECT CASE link_type WHEN 'vehicle_owner' THEN '车辆所有人' WHEN 'housing_owner' THEN '房屋权利人'
            WHEN 'certificate_holder' THEN '证照持有人' WHEN 'legal_rep' THEN '法定代表人' END AS 关联类型,
       from_table AS 来源表, from_id AS 来源标识, CASE to_kind WHEN 'person' THEN '自然人' WHEN 'legal_entity' THEN '法人' END AS 目标类型,
       to_id AS 目标标识, rule AS 规则, probability AS 匹配概率
FROM link;

CREATE VIEW 拒收记录 AS
SELECT source_file_id AS 文件编号, line AS 行号, reason AS 原因, detail AS 说明
FROM reject;
