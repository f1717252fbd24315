"""Tests of twin.weather: synthetic year statistics, EPW calendar mapping, sites."""
import numpy as np
import pandas as pd
import pvlib
import pytest

from twin.weather import WEATHER_COLUMNS, load_site, read_epw_weather, synthetic_weather
from twin.weather.synthetic import (
    diurnal_temperature_shape,
    mean_preserving_monthly_curve,
    month_position,
    weibull_from_normal,
)

TZ = "Asia/Shanghai"
YEAR_2025 = pd.date_range("2025-01-01 00:00", periods=8760, freq="h", tz=TZ)
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

ANNUAL_TEMP_TOL_K = 0.5
MONTHLY_TEMP_TOL_K = 1.5
KT_MEAN_TOL = 0.03
KT_LAG1_RANGE = (0.15, 0.7)
# Tianjin annual GHI band [kWh/m2]: GB/T 31155-2014 grades 1400-1750 kWh/m2
# (5040-6300 MJ/m2) as "very rich" and 1050-1400 as "rich"; Tianjin lies near
# that boundary (CMA station and NASA POWER long-term means ~1400-1500).
TIANJIN_GHI_BAND_KWH_PER_M2 = (1300.0, 1650.0)
CLEAR_SKY_MAX_RATIO = 1.1
CLOSURE_TOL_W_PER_M2 = 1.0
WIND_MEAN_REL_TOL = 0.10


def site_args(site: dict) -> dict:
    return dict(
        latitude_deg=site["latitude_deg"], longitude_deg=site["longitude_deg"],
        altitude_m=site["altitude_m"], monthly_temp_c=[site[f"t_{m}_c"] for m in MONTHS],
        diurnal_range_k=site["diurnal_range_k"], wind_mean_m_per_s=site["wind_mean_m_per_s"],
        kt_mean=site["kt_mean"])


@pytest.fixture(scope="module")
def tianjin():
    site = load_site("Tianjin")
    weather = synthetic_weather(YEAR_2025, **site_args(site), seed=42)
    mid = YEAR_2025 + pd.Timedelta(minutes=30)
    location = pvlib.location.Location(site["latitude_deg"], site["longitude_deg"], TZ,
                                       site["altitude_m"])
    solpos = location.get_solarposition(mid)
    clearsky = location.get_clearsky(mid, solar_position=solpos, linke_turbidity=(
        pvlib.clearsky.lookup_linke_turbidity(mid, site["latitude_deg"], site["longitude_deg"])))
    extra_h = pvlib.irradiance.get_extra_radiation(mid).to_numpy() * np.clip(
        np.cos(np.radians(solpos["zenith"].to_numpy())), 0, None)
    day = YEAR_2025.tz_localize(None).normalize()
    kt_daily = (weather["ghi"].groupby(day).sum().to_numpy()
                / pd.Series(extra_h, index=YEAR_2025).groupby(day).sum().to_numpy())
    return dict(site=site, weather=weather, solpos=solpos, clearsky=clearsky, kt_daily=kt_daily)


# --- reproducibility -----------------------------------------------------------

def test_same_seed_gives_identical_frames_and_other_seeds_differ():
    args = site_args(load_site("Tianjin"))
    a = synthetic_weather(YEAR_2025, **args, seed=7)
    b = synthetic_weather(YEAR_2025, **args, seed=7)
    c = synthetic_weather(YEAR_2025, **args, seed=8)
    pd.testing.assert_frame_equal(a, b)
    for column in WEATHER_COLUMNS:
        assert not np.allclose(a[column], c[column]), column


def test_frame_has_contract_columns_and_index(tianjin):
    weather = tianjin["weather"]
    assert tuple(weather.columns) == WEATHER_COLUMNS
    assert weather.index.equals(YEAR_2025)
    assert np.isfinite(weather.to_numpy()).all()


# --- Tianjin 2025 statistics -----------------------------------------------------

def test_tianjin_temperature_keeps_the_normals(tianjin):
    site, weather = tianjin["site"], tianjin["weather"]
    normals = np.array([site[f"t_{m}_c"] for m in MONTHS])
    assert abs(weather["temp_air"].mean() - normals.mean()) < ANNUAL_TEMP_TOL_K
    monthly = weather["temp_air"].groupby(YEAR_2025.month).mean().to_numpy()
    np.testing.assert_array_less(np.abs(monthly - normals), MONTHLY_TEMP_TOL_K)


def test_tianjin_daily_clearness_index_mean_and_persistence(tianjin):
    kt = tianjin["kt_daily"]
    assert abs(kt.mean() - tianjin["site"]["kt_mean"]) < KT_MEAN_TOL
    lag1 = np.corrcoef(kt[:-1], kt[1:])[0, 1]
    assert KT_LAG1_RANGE[0] < lag1 < KT_LAG1_RANGE[1]
    assert kt.min() >= 0.0 and kt.max() <= 0.85
    # both overcast and clear days occur
    assert (kt < 0.25).sum() >= 10 and (kt > 0.6).sum() >= 60


def test_tianjin_annual_ghi_in_plausible_band(tianjin):
    ghi_kwh_per_m2 = tianjin["weather"]["ghi"].sum() / 1000.0  # hourly means x 1 h
    low, high = TIANJIN_GHI_BAND_KWH_PER_M2
    assert low < ghi_kwh_per_m2 < high


def test_ghi_zero_at_night_and_bounded_by_clear_sky(tianjin):
    ghi = tianjin["weather"]["ghi"].to_numpy()
    ghi_cs = tianjin["clearsky"]["ghi"].to_numpy()
    night = tianjin["solpos"]["apparent_zenith"].to_numpy() >= 90
    assert (ghi[night] == 0).all()
    assert (ghi >= 0).all()
    assert (ghi <= CLEAR_SKY_MAX_RATIO * ghi_cs + 1e-9).all()


def test_dni_dhi_close_on_ghi(tianjin):
    w = tianjin["weather"]
    assert (w["dni"] >= 0).all() and (w["dhi"] >= 0).all()
    zenith = tianjin["solpos"]["zenith"].to_numpy()
    up = zenith < 90
    closure = w["dni"].to_numpy() * np.cos(np.radians(zenith)) + w["dhi"].to_numpy()
    np.testing.assert_allclose(closure[up], w["ghi"].to_numpy()[up], atol=CLOSURE_TOL_W_PER_M2)


def test_wind_mean_matches_target_and_is_persistent(tianjin):
    wind = tianjin["weather"]["wind_speed"]
    target = tianjin["site"]["wind_mean_m_per_s"]
    assert (wind >= 0).all()
    assert abs(wind.mean() / target - 1.0) < WIND_MEAN_REL_TOL
    assert wind.autocorr(1) > 0.8
    by_hour = wind.groupby(YEAR_2025.hour).mean()
    assert by_hour[14] > by_hour[3]  # windier afternoons


def test_temperature_peaks_in_the_afternoon(tianjin):
    by_hour = tianjin["weather"]["temp_air"].groupby(YEAR_2025.hour).mean()
    assert 13 <= by_hour.idxmax() <= 16
    assert 3 <= by_hour.idxmin() <= 7


@pytest.mark.parametrize("city", ["Beijing", "Shanghai", "Hohhot", "Urumqi", "Chengdu", "Guangzhou"])
def test_other_sites_reproduce_their_annual_ghi_estimate(city):
    site = load_site(city)
    weather = synthetic_weather(YEAR_2025, **site_args(site), seed=1)
    ghi_kwh_per_m2 = weather["ghi"].sum() / 1000.0
    assert ghi_kwh_per_m2 == pytest.approx(site["ghi_annual_kwh_per_m2"], rel=0.05)


def test_short_run_in_other_time_zone():
    times = pd.date_range("2025-06-01", periods=48, freq="h", tz="UTC")
    weather = synthetic_weather(times, **site_args(load_site("Beijing")), seed=3)
    assert weather.index.equals(times)
    assert np.isfinite(weather.to_numpy()).all()
    # sun is up around 04:00 UTC (noon in Beijing), down around 16:00 UTC
    assert weather["ghi"].iloc[4] > 0 and weather["ghi"].iloc[16] == 0


def test_weather_depends_on_instants_not_on_their_time_zone():
    args = site_args(load_site("Urumqi"))
    beijing_time = pd.date_range("2025-03-01", periods=24 * 40, freq="h", tz=TZ)
    a = synthetic_weather(beijing_time, **args, seed=5)
    b = synthetic_weather(beijing_time.tz_convert("UTC"), **args, seed=5)
    np.testing.assert_array_equal(a.to_numpy(), b.to_numpy())


def test_synthetic_weather_rejects_bad_input():
    args = site_args(load_site("Tianjin"))
    with pytest.raises(ValueError, match="tz-aware"):
        synthetic_weather(YEAR_2025.tz_localize(None), **args, seed=1)
    with pytest.raises(ValueError, match="12 values"):
        synthetic_weather(YEAR_2025, **{**args, "monthly_temp_c": [10.0] * 11}, seed=1)


# --- model functions -------------------------------------------------------------

def test_mean_preserving_monthly_curve_reproduces_each_month_mean():
    # fine uniform grid: each month is 1000 equal steps in month units
    x = (np.arange(12000) + 0.5) / 1000.0
    means = [-3.4, -0.4, 6.1, 14.0, 20.3, 24.6, 27.0, 26.0, 21.3, 14.0, 5.2, -1.0]
    y = mean_preserving_monthly_curve(x, means)
    np.testing.assert_allclose(y.reshape(12, 1000).mean(axis=1), means, atol=1e-6)
    # periodic: end of December joins start of January
    assert mean_preserving_monthly_curve(np.array([0.0]), means)[0] == pytest.approx(
        mean_preserving_monthly_curve(np.array([12.0]), means)[0])


def test_month_position_gives_unit_width_months():
    times = pd.DatetimeIndex(["2025-02-01 00:00", "2025-02-15 00:00", "2025-12-31 12:00"])
    np.testing.assert_allclose(month_position(times), [1.0, 1.5, 11.0 + 30.5 / 31.0])


def test_diurnal_shape_min_at_sunrise_max_at_peak_and_zero_mean():
    hours = np.arange(0.0, 24.0, 0.01)
    shape = diurnal_temperature_shape(hours, np.full_like(hours, 5.5), 14.5)
    assert hours[np.argmin(shape)] == pytest.approx(5.5, abs=0.02)
    assert hours[np.argmax(shape)] == pytest.approx(14.5, abs=0.02)
    assert shape.mean() == pytest.approx(0.0, abs=1e-3)


def test_weibull_from_normal_has_requested_mean_and_median():
    z = np.random.default_rng(0).standard_normal(200_000)
    w = weibull_from_normal(z, mean=3.0, shape=2.0)
    assert w.mean() == pytest.approx(3.0, rel=0.01)
    # median of Weibull(k=2): c * ln(2)**0.5 with c = 3 / Gamma(1.5)
    assert weibull_from_normal(np.array([0.0]), 3.0, 2.0)[0] == pytest.approx(
        3.0 / 0.886226925 * np.log(2.0) ** 0.5)


# --- EPW reader ---------------------------------------------------------------------

EPW_HEADER = [
    "LOCATION,Tianjin,TJ,CHN,Test,545270,39.10,117.17,8.0,5.0",
    "DESIGN CONDITIONS,0",
    "TYPICAL/EXTREME PERIODS,0",
    "GROUND TEMPERATURES,0",
    "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0",
    "COMMENTS 1,written by tests/test_weather.py",
    "COMMENTS 2,temp_air = month + day/100; ghi = 10*hour; dhi = day; wind = hour/10",
    "DATA PERIODS,1,1,Data,Wednesday, 1/ 1,12/31",
]


def write_epw(path):
    """EPW with cell codes: temp_air = month + day/100, ghi = 10*hour (1..24)."""
    lines = list(EPW_HEADER)
    for stamp in pd.date_range("2025-01-01", periods=365, freq="D"):
        # typical-year style: months taken from different years
        year = 1999 if stamp.month % 2 else 2005
        for hour in range(1, 25):
            fields = [year, stamp.month, stamp.day, hour, 60, "?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9?9?9*9*9?9?9?9",
                      stamp.month + stamp.day / 100, 0.0, 50, 101325, 0, 1415, 300,
                      10 * hour, 5 * hour, stamp.day, 0, 0, 0, 0, 180, hour / 10,
                      5, 5, 20.0, 77777, 9, 999999999, 10, 0.1, 0, 88, 0.2, 0.0, 1.0]
            lines.append(",".join(str(f) for f in fields))
    assert len(lines) == 8 + 8760
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def epw_file(tmp_path):
    return write_epw(tmp_path / "test.epw")


def cell(frame, stamp):
    return frame.loc[pd.Timestamp(stamp)]


def test_epw_maps_month_day_hour_onto_2025_in_same_time_zone(epw_file):
    w = read_epw_weather(epw_file, YEAR_2025)
    assert tuple(w.columns) == WEATHER_COLUMNS and w.index.equals(YEAR_2025)
    # hour starting 13:00 on 5 March is EPW row (3, 5, hour 14)
    row = cell(w, "2025-03-05 13:00+08:00")
    # values were written as decimal text, read back as the same doubles
    assert (row["temp_air"], row["ghi"], row["dni"], row["dhi"]) == (3.05, 140.0, 70.0, 5.0)
    assert row["wind_speed"] == pytest.approx(1.4)
    assert cell(w, "2025-01-01 00:00+08:00")["ghi"] == 10.0
    assert cell(w, "2025-12-31 23:00+08:00")[["temp_air", "ghi"]].tolist() == [12.31, 240.0]


def test_epw_converts_to_the_run_time_zone(epw_file):
    times = pd.date_range("2025-01-01", periods=8760, freq="h", tz="UTC")
    w = read_epw_weather(epw_file, times)
    # 00:00 UTC is 08:00 in the file's UTC+8: EPW (1, 1, hour 9)
    assert cell(w, "2025-01-01 00:00Z")[["temp_air", "ghi"]].tolist() == [1.01, 90.0]
    # 20:00 UTC on 31 Dec is 04:00 on 1 Jan in UTC+8: wraps to EPW (1, 1, hour 5)
    assert cell(w, "2025-12-31 20:00Z")[["temp_air", "ghi"]].tolist() == [1.01, 50.0]


def test_epw_leap_day_takes_february_28(epw_file):
    times = pd.date_range("2024-02-28", periods=72, freq="h", tz=TZ)
    w = read_epw_weather(epw_file, times)
    assert cell(w, "2024-02-29 10:00+08:00")[["temp_air", "ghi"]].tolist() == [2.28, 110.0]
    assert cell(w, "2024-03-01 00:00+08:00")["temp_air"] == 3.01


def test_epw_missing_value_codes_are_interpolated(tmp_path):
    path = write_epw(tmp_path / "gaps.epw")
    lines = path.read_text().splitlines()
    fields = lines[8 + 12].split(",")  # 1 January, hour 13
    fields[13] = "9999"  # ghi missing
    lines[8 + 12] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n")
    w = read_epw_weather(path, YEAR_2025)
    assert cell(w, "2025-01-01 12:00+08:00")["ghi"] == pytest.approx(130.0)  # between 120 and 140


def test_epw_missing_file_names_the_path(tmp_path):
    missing = tmp_path / "nowhere" / "absent.epw"
    with pytest.raises(FileNotFoundError, match="absent.epw"):
        read_epw_weather(missing, YEAR_2025)


# --- sites -----------------------------------------------------------------------------

def test_load_site_is_case_insensitive_and_complete():
    site = load_site("  tianJIN ")
    assert site["city"] == "Tianjin"
    assert 38 < site["latitude_deg"] < 40 and 116 < site["longitude_deg"] < 118
    assert site["source"] and site["status"] in ("secondary", "unconfirmed")
    for city in ("Tianjin", "Beijing", "Shanghai", "Suzhou", "Hohhot", "Baotou",
                 "Urumqi", "Chengdu", "Guangzhou", "Xi'an"):
        row = load_site(city)
        assert 0.25 < row["kt_mean"] < 0.65
        assert all(-20 < row[f"t_{m}_c"] < 35 for m in MONTHS)


def test_load_site_unknown_city_lists_known_ones():
    with pytest.raises(ValueError, match=r"unknown city 'Atlantis'; known: .*Tianjin.*Guangzhou"):
        load_site("Atlantis")
