import { describe, expect, it } from 'vitest';
import { maskPath } from '../../src/composition/effects/mask-shapes';
import { layerMask } from '../../src/timeline/masks';
import type { LayerMask } from '../../src/timeline/types';
import type { WarningCode } from '../../src/timeline/warnings';

const box = { width: 200, height: 100 };

function mask(item: Record<string, unknown>) {
  const warnings: [WarningCode, string][] = [];
  const out = layerMask(item, box, (c, m) => warnings.push([c, m]));
  return { out, warnings };
}

describe('layerMask: JianYing mask config → box pixels', () => {
  it('places a circle: centre in half-box units with y up, size as fractions of the box', () => {
    // centerX 0.5 → 100 · 1.5 = 150; centerY 0.5 (up) → 50 · 0.5 = 25. A 50 px circle is
    // width 50/200 = 0.25 and height 50/100 = 0.5 (pyJianYingDraft's rule).
    const { out, warnings } = mask({
      id: 'm',
      name: '圆形',
      config: { centerX: 0.5, centerY: 0.5, width: 0.25, height: 0.5, rotation: 30, feather: 0, invert: false, roundCorner: 0 },
    });
    expect(out).toEqual({
      shape: 'ellipse',
      centerXPx: 150,
      centerYPx: 25,
      widthPx: 50,
      heightPx: 50,
      rotationDeg: 30,
      featherPx: 0,
      cornerRadiusPx: 0,
      invert: false,
    });
    expect(warnings).toEqual([]);
  });

  it('knows every shape by name, English name or resource id', () => {
    const shape = (item: Record<string, unknown>) => mask({ id: 'm', config: {}, ...item }).out?.shape;
    expect(['线性', '镜面', '圆形', '矩形', '爱心', '星形'].map((name) => shape({ name }))).toEqual([
      'line', 'mirror', 'ellipse', 'rectangle', 'heart', 'star',
    ]);
    expect(shape({ name: 'Circle' })).toBe('ellipse');
    expect(shape({ name: '', resource_id: '6791700809454195207' })).toBe('rectangle');
    expect(shape({ name: '', resource_type: 'mirror' })).toBe('mirror');
  });

  it('rounds rectangle corners by roundCorner × half the short side, and says the radius is estimated', () => {
    const { out, warnings } = mask({ id: 'm', name: '矩形', config: { width: 0.5, height: 0.4, roundCorner: 0.5, invert: true } });
    // 100 × 40 px; radius 0.5 · 40 / 2 = 10.
    expect(out).toMatchObject({ shape: 'rectangle', widthPx: 100, heightPx: 40, cornerRadiusPx: 10, invert: true });
    expect(warnings).toEqual([['mask-approximated', 'mask "矩形": corner radius estimated']]);
  });

  it('turns feather into a soft edge of feather × half the box short side', () => {
    // 0.2 · 0.5 · 100 = 10 px.
    const { out, warnings } = mask({ id: 'm', name: '线性', config: { feather: 0.2 } });
    expect(out?.featherPx).toBeCloseTo(10, 9);
    expect(warnings.map((w) => w[0])).toEqual(['mask-approximated']);
  });

  it('defaults a missing size to pyJianYingDraft’s 0.5 and reports its own heart and star outlines', () => {
    const heart = mask({ id: 'm', name: '爱心', config: { centerX: 0, centerY: 0 } });
    expect(heart.out).toMatchObject({ centerXPx: 100, centerYPx: 50, widthPx: 100, heightPx: 50 });
    expect(heart.warnings).toEqual([['mask-approximated', 'mask "爱心": outline drawn from our own shape']]);
  });

  it('skips unknown shapes and masks without config', () => {
    expect(mask({ id: 'm', name: '自定义', config: {} })).toEqual({
      out: undefined,
      warnings: [['mask-skipped', 'mask "自定义" not known: not applied']],
    });
    expect(mask({ id: 'm', name: '圆形' }).warnings.map((w) => w[0])).toEqual(['mask-skipped']);
  });
});

describe('maskPath: outlines in box pixels', () => {
  const base: LayerMask = {
    shape: 'ellipse',
    centerXPx: 50,
    centerYPx: 50,
    widthPx: 40,
    heightPx: 20,
    rotationDeg: 0,
    featherPx: 0,
    cornerRadiusPx: 0,
    invert: false,
  };

  it('draws an ellipse as two arcs through its left and right ends', () => {
    expect(maskPath(base, 1000)).toBe('M30 50 A20 10 0 1 0 70 50 A20 10 0 1 0 30 50 Z');
  });

  it('keeps the half-plane above a line, and a band for a mirror', () => {
    expect(maskPath({ ...base, shape: 'line' }, 10)).toBe('M40 40 L60 40 L60 50 L40 50 Z');
    expect(maskPath({ ...base, shape: 'mirror' }, 10)).toBe('M40 40 L60 40 L60 60 L40 60 Z');
  });

  it('draws sharp and rounded rectangles', () => {
    expect(maskPath({ ...base, shape: 'rectangle' }, 0)).toBe('M30 40 L70 40 L70 60 L30 60 Z');
    expect(maskPath({ ...base, shape: 'rectangle', cornerRadiusPx: 5 }, 0)).toBe(
      'M35 40 L65 40 A5 5 0 0 1 70 45 L70 55 A5 5 0 0 1 65 60 L35 60 A5 5 0 0 1 30 55 L30 45 A5 5 0 0 1 35 40 Z',
    );
  });

  it('fits the star and heart outlines to the mask box', () => {
    const numbers = (d: string) => (d.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
    const star = numbers(maskPath({ ...base, shape: 'star' }, 0));
    const xs = star.filter((_, i) => i % 2 === 0);
    const ys = star.filter((_, i) => i % 2 === 1);
    expect([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]).toEqual([30, 70, 40, 60]);
    expect(star.slice(0, 2)).toEqual([50, 40]); // the top point
    const heart = maskPath({ ...base, shape: 'heart' }, 0);
    expect(heart.startsWith('M50 45 ')).toBe(true); // the dip, a quarter down the 20 px height
    expect(heart).toContain('50 60'); // the tip at the bottom
  });
});
