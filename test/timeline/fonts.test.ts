import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveFont, SHIPPED_FONTS, substitutionMessage } from '../../src/timeline/fonts';

describe('JianYing fonts → shipped fonts', () => {
  it('maps the table by resource id, title and file name', () => {
    const cases: [Parameters<typeof resolveFont>[0], string, number, string][] = [
      // No font named: JianYing's default 系统, a Source Han Sans cut = Noto Sans SC.
      [{}, 'Noto Sans SC', 400, 'same'],
      [{ title: '系统', path: 'C:/Users/x/AppData/Local/JianyingPro/User Data/Resources/Font/SystemFont/zh-hans.ttf' }, 'Noto Sans SC', 400, 'same'],
      [{ title: 'none', path: '' }, 'Noto Sans SC', 400, 'same'],
      [{ resourceId: '7265596643066516029' }, 'Noto Sans SC', 700, 'same'], // SourceHanSansCN-Bold
      [{ path: 'D:/fonts/SourceHanSerifCN-Regular.otf' }, 'Noto Serif SC', 400, 'same'],
      [{ title: '霞鹜文楷' }, 'LXGW WenKai', 500, 'same'],
      [{ title: '站酷快乐体' }, 'ZCOOL KuaiLe', 400, 'same'],
      [{ title: '站酷庆科黄油体' }, 'ZCOOL QingKe HuangYou', 400, 'same'],
      [{ resourceId: '7265594602311127607' }, 'ZCOOL XiaoWei', 400, 'same'], // 小薇体
      [{ title: '马善政毛笔楷书' }, 'Ma Shan Zheng', 400, 'same'],
      // Look-alikes.
      [{ resourceId: '6740435892441190919', path: 'C:/x/Font/新青年体.ttf' }, 'Noto Sans SC', 900, 'closest'],
      [{ resourceId: '7265595305163231781', path: 'C:/HarmonyOS_Sans_SC_Regular.ttf' }, 'Noto Sans SC', 400, 'closest'],
      [{ title: '宋体' }, 'Noto Serif SC', 400, 'closest'],
      [{ title: '快乐体' }, 'ZCOOL KuaiLe', 400, 'closest'],
      [{ title: '挥墨体' }, 'Ma Shan Zheng', 400, 'closest'],
      // Same design, weight not shipped: nearest weight, reported.
      [{ title: '思源粗宋' }, 'Noto Serif SC', 700, 'closest'],
      // Keywords for names the table does not list.
      [{ title: '某某行楷' }, 'LXGW WenKai', 500, 'closest'],
      [{ path: 'C:/Fonts/方正粗宋简体.ttf' }, 'Noto Serif SC', 700, 'closest'],
      [{ path: 'C:/Fonts/造字工房力黑.ttf' }, 'Noto Sans SC', 400, 'closest'],
      // Unknown.
      [{ title: '文轩体' }, 'Noto Sans SC', 400, 'unknown'],
    ];
    for (const [ref, family, weight, match] of cases) {
      expect({ ref, ...resolveFont(ref) }).toMatchObject({ ref, family, weight, match });
    }
  });

  it('says what a substitution used, and says nothing for the same design', () => {
    expect(substitutionMessage(resolveFont({ title: '新青年体' }))).toBe('font "新青年体" drawn with Noto Sans SC Black (closest shipped font)');
    expect(substitutionMessage(resolveFont({ resourceId: '123' }))).toBe('font "id 123" unknown: drawn with Noto Sans SC Regular');
    expect(resolveFont({ resourceId: '6740435892441190919' }).label).toBe('新青年体');
    // pyJianYingDraft writes a bare "D:" as the path: the id decides.
    expect(resolveFont({ resourceId: '7265591946897265212', path: 'D:' })).toMatchObject({ family: 'LXGW WenKai', match: 'same' });
    expect(substitutionMessage(resolveFont({ resourceId: '42', path: 'D:' }))).toBe('font "id 42" unknown: drawn with Noto Sans SC Regular');
    expect(substitutionMessage(resolveFont({ title: '系统' }))).toBeUndefined();
  });

  it('every shipped family and weight is imported by the composition', () => {
    const imports = readFileSync(new URL('../../src/composition/fonts.ts', import.meta.url), 'utf8');
    for (const [family, weights] of Object.entries(SHIPPED_FONTS)) {
      const slug = family.toLowerCase().replace(/ /g, '-');
      for (const w of weights) expect(imports).toContain(`import '@fontsource/${slug}/${w}.css';`);
    }
    // Colour emoji: the COLRv0 Twemoji web font from npm (the COLRv1 Noto one draws nothing here).
    expect(imports).toContain(`import 'twemoji-colr-font/twemoji.css';`);
    expect(imports).not.toContain('noto-color-emoji');
  });
});
